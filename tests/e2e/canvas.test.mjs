// End to end: the canvas as a newcomer sees it — the default graph fits a laptop's canvas in
// full detail, a phone's as titles and summaries in a canvas as wide as the screen; zooming
// changes the level of detail; the trigger wire closes the loop around the nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** The level of detail every node shows. */
const details = (kindling) =>
  kindling.page.$$eval('[data-node-id]', (nodes) => [...new Set(nodes.map((node) => node.dataset.detail))]);

/** The on-screen height of a node's parameter text, or of its summary title, in pixels. */
const textHeight = (kindling, selector) =>
  kindling.page.$eval(`[data-node-kind="SGDOptimizer"] ${selector}`, (text) => text.getBoundingClientRect().height);

test('on a laptop the default graph fits in full detail, with its text readable', async () => {
  const kindling = await env.open({ ready: false });
  await kindling.node('Dataset').waitFor();
  await kindling.frames(3);
  assert.deepEqual(await details(kindling), ['full']);
  const height = await textHeight(kindling, '.param-line');
  assert.ok(height >= 9, `parameter text is ${height} px high`);
  // Every node is inside the canvas.
  const canvas = await kindling.byTestId('canvas').boundingBox();
  for (const node of await kindling.page.locator('[data-node-id] .node-body').all()) {
    const box = await node.boundingBox();
    assert.ok(box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width + 1, 'inside horizontally');
    assert.ok(box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height + 1, 'inside vertically');
  }
  // Zoomed out: titles large and a summary; zoomed back in: every parameter again.
  const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  await kindling.page.mouse.move(centre.x, centre.y);
  for (let i = 0; i < 2; i++) await kindling.page.mouse.wheel(0, 240);
  await kindling.page.waitForFunction(() => document.querySelector('[data-node-id]').dataset.detail === 'summary');
  assert.deepEqual(await details(kindling), ['summary']);
  const title = await textHeight(kindling, '.node-summary-title');
  assert.ok(title >= 9, `a zoomed-out title is ${title} px high`);
  const summary = await kindling.page.$$eval('[data-node-kind="SGDOptimizer"] .node-summary-line', (lines) => lines.map((line) => line.textContent));
  assert.deepEqual(summary, ['lr 0.03', 'momentum 0.9']);
  await kindling.byTestId('fit-view').click();
  await kindling.page.waitForFunction(() => document.querySelector('[data-node-id]').dataset.detail === 'full');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('on a phone the canvas takes the screen\'s width and the nodes show their titles', async () => {
  const kindling = await env.open({ ready: false, viewport: { width: 390, height: 844 } });
  await kindling.node('Dataset').waitFor();
  await kindling.frames(3);
  const canvas = await kindling.byTestId('canvas').boundingBox();
  assert.ok(canvas.width >= 380, `the canvas is ${canvas.width} px wide on a 390 px screen`);
  assert.ok(canvas.height >= 330, `and ${canvas.height} px high`);
  assert.deepEqual(await details(kindling), ['summary']);
  const title = await textHeight(kindling, '.node-summary-title');
  assert.ok(title >= 9, `a title is ${title} px high`);
  await kindling.close();
});

test('the trigger wire closing the loop runs around the nodes, not through them', async () => {
  const kindling = await env.open({ ready: false });
  await kindling.node('Dataset').waitFor();
  const trigger = kindling.page.locator('[data-wire$="->2:next"]');
  assert.equal(await trigger.count(), 1);
  const path = await trigger.getAttribute('d');
  assert.match(path, /Q/, `a routed path with rounded corners: ${path}`);
  // Sampled along its length, the wire is never inside a node other than its ends'.
  const inside = await kindling.page.evaluate(() => {
    const wire = document.querySelector('[data-wire$="->2:next"]');
    const length = wire.getTotalLength();
    const boxes = [...document.querySelectorAll('[data-node-id]')]
      .filter((node) => !['2', '7'].includes(node.dataset.nodeId))
      .map((node) => node.querySelector('.node-body').getBBox());
    const hits = [];
    for (let at = 0; at <= length; at += 4) {
      const p = wire.getPointAtLength(at);
      if (boxes.some((b) => p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1)) hits.push([p.x, p.y]);
    }
    return hits;
  });
  assert.deepEqual(inside, []);
  await kindling.close();
});
