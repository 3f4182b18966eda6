// End to end: what the run charts beyond the epoch curves — EpochTracker's step log (the
// running loss every log_interval steps, every update's gradient norm) and a
// ClassificationMetrics node's precision, recall, F1 and ROC-AUC — and the warm-up schedule of
// the regression template, in headless Chromium on the CPU backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** Points a chart's SVG draws (plotters writes each line as a polyline or a path). */
const linePoints = (kindling, id) =>
  kindling.page.evaluate((id) => {
    const lines = [...document.querySelectorAll(`[data-testid="${id}"] svg polyline`)];
    return lines.map((line) => line.getAttribute('points').trim().split(/\s+/).length);
  }, id);

test('the step charts show the running loss every log_interval steps and every update\'s gradient norm', async () => {
  const kindling = await env.open({ epochs: 4, query: '?backend=cpu' });
  await kindling.setParam('EpochTracker', 'log_interval', '8');
  await kindling.setParam('TrainingStep', 'gradient_clip', '0.5');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const charts = kindling.byTestId('step-charts');
  // 4 epochs × 32 batches: a log every 8 steps, a norm every step.
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="step-charts"]')?.dataset.logs === '16');
  assert.equal(await charts.getAttribute('data-norms'), '128');
  assert.ok((await linePoints(kindling, 'step-loss-chart')).some((points) => points >= 16), 'the running loss is drawn');
  // The norm chart draws the norms and the clipping threshold across them.
  const normLines = await linePoints(kindling, 'grad-norm-chart');
  assert.ok(normLines.some((points) => points >= 100), `${normLines}`);
  assert.ok((await kindling.byTestId('grad-norm-chart').locator('svg text').allTextContents()).some((t) => t.includes('gradient_clip 0.5')));
  await kindling.byTestId('step-loss-chart').scrollIntoViewIfNeeded();
  const box = await kindling.byTestId('step-loss-chart').boundingBox();
  await kindling.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  assert.match(await kindling.text('step-loss-chart-readout'), /^step \d+: running loss [\d.]+$/);
  // Reset clears them with the rest.
  await kindling.byTestId('reset-button').click();
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="step-charts"]')?.dataset.logs === '0');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a ClassificationMetrics node charts precision, recall, F1 and ROC-AUC of the validation pass', async () => {
  const graph = JSON.parse(await readFile(new URL('../../examples/with_validation.json', import.meta.url), 'utf8'));
  const find = (kind) => graph.nodes.find((node) => node.kind === kind).id;
  const id = graph.next_id;
  graph.nodes.push({ id, kind: 'ClassificationMetrics', pos: { x: 1500, y: 0 }, params: { average: 'macro' } });
  graph.wires.push(
    { from: { node: find('Network'), port: 'predictions' }, to: { node: id, port: 'predictions' } },
    { from: { node: find('GetBatch'), port: 'targets' }, to: { node: id, port: 'targets' } },
  );
  graph.next_id = id + 1;
  const kindling = await env.open({ query: '?backend=cpu' });
  assert.equal(await kindling.byTestId('class-metrics-chart').count(), 0, 'no chart without the node');
  await kindling.byTestId('import-json').setInputFiles({ name: 'metrics.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
  await kindling.node('ClassificationMetrics').waitFor();
  await kindling.byTestId('fit-view').click();
  await kindling.setParam('EpochTracker', 'total_epochs', '6');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const chart = kindling.byTestId('class-metrics-chart');
  await chart.waitFor();
  const legend = (await chart.locator('svg text').allTextContents()).map((t) => t.trim());
  for (const name of ['precision', 'recall', 'F1', 'ROC-AUC']) assert.ok(legend.includes(name), `${name} in ${legend}`);
  assert.ok((await linePoints(kindling, 'class-metrics-chart')).filter((points) => points >= 6).length >= 4, 'four lines of six epochs');
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await kindling.page.mouse.move(box.x + box.width - 12, box.y + box.height / 2);
  assert.match(await kindling.text('class-metrics-chart-readout'), /^epoch \d+: precision [\d.]+, recall [\d.]+, F1 [\d.]+, ROC-AUC [\d.]+$/);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the regression template warms its learning rate up, then anneals it', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await kindling.byTestId('templates').selectOption('regression');
  await kindling.node('SequentialLR').waitFor();
  await kindling.setParam('EpochTracker', 'total_epochs', '8');
  // A short cosine after the warm-up, so that its fall shows in the readout's digits.
  await kindling.setParam('CosineAnnealingLR', 't_max', '3');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  // The rate read out epoch by epoch (the chart's plot spans x 54..352 of its 360 units):
  // rising over the warm-up's 5 epochs, back to the full rate, then falling.
  await kindling.byTestId('lr-chart').scrollIntoViewIfNeeded();
  const box = await kindling.byTestId('lr-chart').boundingBox();
  const rates = [];
  for (let epoch = 1; epoch <= 8; epoch++) {
    const x = box.x + box.width * ((8 + 46 + ((360 - 8 - 8 - 46) * (epoch - 1)) / 7) / 360);
    await kindling.page.mouse.move(x, box.y + box.height / 2);
    const match = (await kindling.text('lr-chart-readout')).match(/^epoch (\d+): learning rate ([\d.e-]+)$/);
    assert.ok(match, await kindling.text('lr-chart-readout'));
    rates[Number(match[1]) - 1] = Number(match[2]);
  }
  for (let epoch = 1; epoch < 5; epoch++) assert.ok(rates[epoch] > rates[epoch - 1], `warm-up: ${rates}`);
  assert.ok(rates[6] < rates[5] && rates[7] < rates[6], `annealing: ${rates}`);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
