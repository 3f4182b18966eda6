// Renders what issue 17 added to the run's charts, to look at: the step charts (running loss,
// gradient norms with the clipping threshold) after a run of the default graph, the
// ClassificationMetrics chart of the validation template, and the regression template with
// its warm-up chain — at desktop (1280×800) and phone (390×844) sizes.
// Usage: node tests/e2e/screenshots-metrics.mjs <dist> <out-dir>
import { readFile } from 'node:fs/promises';
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const graph = JSON.parse(await readFile(new URL('../../examples/with_validation.json', import.meta.url), 'utf8'));
const find = (kind) => graph.nodes.find((node) => node.kind === kind).id;
graph.nodes.push({ id: graph.next_id, kind: 'ClassificationMetrics', pos: { x: 1500, y: 0 }, params: {} });
graph.wires.push(
  { from: { node: find('Network'), port: 'predictions' }, to: { node: graph.next_id, port: 'predictions' } },
  { from: { node: find('GetBatch'), port: 'targets' }, to: { node: graph.next_id, port: 'targets' } },
);
graph.next_id += 1;
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.setParam('EpochTracker', 'total_epochs', '40');
  await kindling.setParam('EpochTracker', 'log_interval', '10');
  await kindling.setParam('TrainingStep', 'gradient_clip', '1');
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(180_000);
  await kindling.byTestId('step-charts').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await kindling.byTestId('step-charts').screenshot({ path: `${out}/step-charts-${name}.png` });
  await kindling.byTestId('import-json').setInputFiles({ name: 'metrics.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
  await kindling.node('ClassificationMetrics').waitFor();
  await kindling.byTestId('fit-view').click();
  await kindling.setParam('EpochTracker', 'total_epochs', '40');
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(180_000);
  await kindling.byTestId('class-metrics-chart').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await kindling.byTestId('charts').screenshot({ path: `${out}/class-metrics-${name}.png` });
  await kindling.byTestId('templates').selectOption('regression');
  await kindling.node('SequentialLR').waitFor();
  await kindling.byTestId('fit-view').click();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/regression-${name}.png` });
  await kindling.close();
}
await browser.close();
await server.close();
