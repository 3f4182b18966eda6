// End to end: the diagnoses under the run's numbers (`data-testid="diagnoses"`), each provoked
// in the page by the graph `tests/diagnoses.rs` provokes it with natively — a built-in lesson's
// starting graph, changed as that test changes it, imported as a graph file without its
// lesson — and trained on the CPU backend: the notice shows its evidence, "Try it" changes
// the graph as it says, and one Undo takes the change back. The default graph, trained to its
// end, shows none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();
const root = new URL('../..', import.meta.url).pathname;

/** The starting graph of built-in lesson `slug` (`lessons/`), changed by `change`, as a
 * graph file without the lesson (so no step locks a parameter or waits for a guess). */
async function lessonGraph(slug, change = () => {}) {
  const { graph, view } = JSON.parse(await readFile(join(root, 'lessons', `${slug}.json`), 'utf8'));
  change(graph);
  return JSON.stringify({ format: 'kindling-experiment', version: 1, graph, view }, null, 2);
}

/** Sets parameter `name` of the graph's node of `kind` to `value` (as a graph file writes it). */
function setParam(graph, kind, name, value) {
  const node = graph.nodes.find((node) => node.kind === kind);
  assert.ok(node, `the graph has a ${kind}`);
  node.params[name] = value;
}

/** Imports `json` as the graph file `name`, by the document bar's button. */
async function importGraph(kindling, name, json) {
  await kindling.byTestId('import-json').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(json) });
  await kindling.waitForNotice(`Imported ${name}`);
}

/** Trains the graph as it stands to its end. */
async function trainToEnd(kindling) {
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
}

/** The notice of diagnosis `name` (its `data-notice`). */
function notice(kindling, name) {
  return kindling.page.locator(`[data-testid="diagnoses"] [data-notice="${name}"]`);
}

/** Waits for the notice of diagnosis `name`, checks that it shows `title` and `evidence`, then
 * presses its "Try it" (which must say `change`): the notice goes (tried in this run) and the
 * page says what changed and that Undo takes it back. */
async function tryIt(kindling, name, { title, evidence, change }) {
  const shown = notice(kindling, name);
  await shown.waitFor();
  assert.equal((await shown.locator('h3').textContent()).trim(), title);
  const text = await shown.locator('p').textContent();
  for (const expected of evidence) assert.match(text, expected);
  const button = shown.locator(`[data-try="${name}"]`);
  assert.equal((await button.textContent()).trim(), `Try it: ${change}`);
  await button.click();
  await kindling.waitForNotice(`${change}. Train again to see the difference (Undo takes it back).`);
  await shown.waitFor({ state: 'detached' });
}

/** Clicks the toolbar's Undo once. */
async function undo(kindling) {
  await kindling.byTestId('undo').click();
}

test('the default graph, trained to its end, shows no diagnosis', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await trainToEnd(kindling);
  // Every diagnosis has its evidence: the last epoch's layer norms, and the views' activation
  // statistics (the dead units of each ReLU layer).
  await kindling.page.locator('[data-testid="activation-histogram"][data-dead]').first().waitFor({ state: 'attached' });
  await kindling.frames(2);
  const notices = kindling.page.locator('[data-testid="diagnoses"] [data-notice]');
  assert.equal(await notices.count(), 0, await kindling.byTestId('diagnoses').textContent());
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a learning rate too small is a plateau; Try it triples the rate, Undo takes it back', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  // The learning-rate lesson's start: SGD at 0.001 on the circle, 30 epochs.
  await importGraph(kindling, 'plateau.json', await lessonGraph('learning-rate'));
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.001');
  await trainToEnd(kindling);
  await tryIt(kindling, 'plateau', {
    title: 'The loss has stopped falling',
    evidence: [/over the last 8 epochs/, /a larger learning rate takes larger ones/],
    change: "Set SGDOptimizer's learning_rate to 0.003",
  });
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.003', '3× 0.001, as a person writes it');
  await undo(kindling);
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.001');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a learning rate that kills ReLUs shows dead units; Try it uses LeakyReLU, Undo takes it back', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  // The momentum lesson's start (2-16-16-2 ReLU, 40 epochs) with SGD at 3 and momentum 0.9.
  const json = await lessonGraph('momentum', (graph) => {
    setParam(graph, 'SGDOptimizer', 'learning_rate', 3.0);
    setParam(graph, 'SGDOptimizer', 'momentum', 0.9);
  });
  await importGraph(kindling, 'dead-units.json', json);
  const relu = 'Linear(16), ReLU, Linear(16), ReLU, Linear(2)';
  assert.equal(await kindling.param('Network', 'layers'), relu);
  await trainToEnd(kindling);
  await tryIt(kindling, 'dead-units', {
    title: 'Dead units: ReLUs that never fire',
    evidence: [/of the 16 ReLU units after linear layer \d are zero for every sample/, /LeakyReLU lets a little through/],
    change: 'Use LeakyReLU(0.01) instead of ReLU',
  });
  assert.equal(await kindling.param('Network', 'layers'), 'Linear(16), LeakyReLU(0.01), Linear(16), LeakyReLU(0.01), Linear(2)');
  await undo(kindling);
  assert.equal(await kindling.param('Network', 'layers'), relu);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a deep Sigmoid network has vanishing gradients; Try it uses ReLU, Undo takes it back', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  // The momentum lesson's start with eight hidden layers of 16 Sigmoid units, 5 epochs.
  const hidden = (activation) => Array.from({ length: 8 }, () => [{ layer: 'Linear', out_features: 16 }, { layer: activation }]).flat();
  const json = await lessonGraph('momentum', (graph) => {
    setParam(graph, 'Network', 'layers', [...hidden('Sigmoid'), { layer: 'Linear', out_features: 2 }]);
    setParam(graph, 'EpochTracker', 'total_epochs', 5);
  });
  await importGraph(kindling, 'vanishing.json', json);
  const layers = (activation) => `${`Linear(16), ${activation}, `.repeat(8)}Linear(2)`;
  assert.equal(await kindling.param('Network', 'layers'), layers('Sigmoid'));
  await trainToEnd(kindling);
  await tryIt(kindling, 'gradients', {
    title: 'Vanishing gradients',
    evidence: [/at the first linear layer and .* at the output layer \(.*× smaller\)/, /Sigmoid's slope is at most 0\.25/],
    change: 'Use ReLU instead of Sigmoid and Tanh',
  });
  assert.equal(await kindling.param('Network', 'layers'), layers('ReLU'));
  await undo(kindling);
  assert.equal(await kindling.param('Network', 'layers'), layers('Sigmoid'));
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
