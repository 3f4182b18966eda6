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
await browser.close();
await server.close();
