// Benchmark (not a test): the editor with a generated graph of 500 nodes and 1000 wires,
// panned and zoomed in headless Chromium; prints animation-frame intervals, p50 and p95.
// Usage: node tests/e2e/bench-editor.mjs <dist>   (run by `cargo xtask bench`)
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist'] = process.argv.slice(2);
const NODES = 500;
const WIRES = 1000;

/** Clipboard text in the editor's copy format: CombineLoss nodes on a grid, wired at random. */
function generatedGraph() {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const nodes = Array.from({ length: NODES }, (_, id) => ({
    id,
    kind: 'CombineLoss',
    pos: { x: (id % 25) * 250, y: Math.floor(id / 25) * 220 },
    params: {},
  }));
  const wires = [];
  const fed = new Set();
  while (wires.length < WIRES) {
    const to = Math.floor(random() * NODES);
    const port = `loss_${1 + Math.floor(random() * 3)}`;
    const from = Math.floor(random() * NODES);
    if (from === to || fed.has(`${to}:${port}`)) continue;
    fed.add(`${to}:${port}`);
    wires.push({ from: { node: from, port: 'loss' }, to: { node: to, port } });
  }
  return JSON.stringify({ format: 'kindling-nodes', nodes, wires });
}

/** A graph file at the node and wire limits (2000 nodes, 8000 wires): EpochTrackers on a
 * grid, every input fed (types aside: a file may hold any wiring; the compiler says so),
 * many wires running back. The editor's worst case: the most nodes, wires and parameter
 * rows a graph may hold. */
function graphAtTheLimits() {
  const nodes = Array.from({ length: 2000 }, (_, id) => ({
    id,
    kind: 'EpochTracker',
    pos: { x: (id % 40) * 260, y: Math.floor(id / 40) * 200 },
    params: {},
  }));
  const inputs = ['step_complete', 'loss', 'accuracy', 'scheduler'];
  const wires = [];
  for (let to = 0; to < 2000; to++) {
    inputs.forEach((port, k) => wires.push({ from: { node: (to * 7 + k * 13 + 1) % 2000, port: 'epoch_trigger' }, to: { node: to, port } }));
  }
  return JSON.stringify({ nodes, wires, next_id: 2000 });
}

/** Imports the graph at the limits: time to first paint, then frames while panning and while
 * dragging a node. */
async function atTheLimits() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.locator('[data-node-id]').first().waitFor();
  await new KindlingPage(page).settle();
  const started = Date.now();
  await page.locator('[data-testid="import-json"]').setInputFiles({ name: 'limits.json', mimeType: 'application/json', buffer: Buffer.from(graphAtTheLimits()) });
  await page.waitForFunction(() => document.querySelectorAll('[data-node-id]').length >= 2000, null, { timeout: 600_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const firstPaint = Date.now() - started;
  const counts = await page.evaluate(() => [document.querySelectorAll('[data-node-id]').length, document.querySelectorAll('[data-wire]').length]);
  await new KindlingPage(page).settle();
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  const record = () => page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => {
      window.__frames.push(t);
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });
  const stop = async () => {
    const frames = await page.evaluate(() => {
      window.__recording = false;
      return window.__frames;
    });
    return frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  };
  await record();
  await page.keyboard.down(' ');
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  await page.mouse.move(centre.x + 200, centre.y + 80, { steps: 30 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  const pan = await stop();
  // Drag a node: every frame moves it, and its wires are routed again.
  const node = await page.locator('[data-node-id] .node-title').first().boundingBox();
  await record();
  await page.mouse.move(node.x + 5, node.y + 5);
  await page.mouse.down();
  await page.mouse.move(node.x + 120, node.y + 60, { steps: 20 });
  await page.mouse.up();
  const drag = await stop();
  console.log(`editor at the limits: ${counts[0]} nodes, ${counts[1]} wires; first paint ${(firstPaint / 1000).toFixed(2)} s after the import (target 2 s)`);
  console.log(`  pan: frame p95 ${percentile(pan, 95).toFixed(1)} ms, max ${pan.at(-1).toFixed(1)} ms; drag: p95 ${percentile(drag, 95).toFixed(1)} ms, max ${drag.at(-1).toFixed(1)} ms (target 50 ms)`);
  await page.close();
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(server.url);
await page.locator('[data-node-id]').first().waitFor();
// Replace the default graph with the generated one: select all, delete, then paste through
// the real paste path.
await page.locator('[data-testid="canvas"]').click({ position: { x: 5, y: 5 } });
await page.keyboard.press('Control+a');
await page.keyboard.press('Delete');
await page.evaluate((text) => {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
}, generatedGraph());
await page.waitForFunction((n) => document.querySelectorAll('[data-node-id]').length >= n, NODES, { timeout: 120_000 });
const counts = await page.evaluate(() => [document.querySelectorAll('[data-node-id]').length, document.querySelectorAll('[data-wire]').length]);
await page.keyboard.press('.');
// Measure from a settled page: frames coming on time again after the paste and the fit.
await new KindlingPage(page).settle();

const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
await page.evaluate(() => {
  window.__frames = [];
  const tick = (t) => {
    window.__frames.push(t);
    if (window.__recording) requestAnimationFrame(tick);
  };
  window.__recording = true;
  requestAnimationFrame(tick);
});
// Pan: drag an empty-enough spot around (the wires lie under nodes; a drag starting on a node
// would move it, so drag with Space held, which pans from anywhere).
await page.keyboard.down(' ');
for (let round = 0; round < 3; round++) {
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  await page.mouse.move(centre.x + 200, centre.y + 80, { steps: 30 });
  await page.mouse.move(centre.x - 150, centre.y - 60, { steps: 30 });
  await page.mouse.up();
}
await page.keyboard.up(' ');
// Zoom in and out about the pointer, a wheel step a frame, as a mouse wheel turns.
const kindling = new KindlingPage(page);
for (let step = 0; step < 40; step++) {
  await page.mouse.wheel(0, step < 20 ? -60 : 60);
  await kindling.frames(1);
}
const frames = await page.evaluate(() => {
  window.__recording = false;
  return window.__frames;
});
const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
console.log(`editor: ${counts[0]} nodes, ${counts[1]} wires; pan and zoom over ${intervals.length} frames`);
console.log(`frame interval p50 ${percentile(intervals, 50).toFixed(1)} ms, p95 ${percentile(intervals, 95).toFixed(1)} ms, max ${intervals.at(-1).toFixed(1)} ms (60 Hz = 16.7 ms)`);
await page.close();
await atTheLimits();
await browser.close();
await server.close();
