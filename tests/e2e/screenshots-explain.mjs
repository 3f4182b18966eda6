// Renders what issue 31's second half added, to look at: Explain mode on a node with its
// formula and on a chart, the lesson editor beside the page, the page in dark mode, the
// embedded page, and the plateau, dead-units and vanishing-gradients diagnoses (each on the
// graph tests/e2e/diagnoses.test.mjs provokes it with), at desktop (1280×800) and phone
// (390×844) sizes.
// Usage: node tests/e2e/screenshots-explain.mjs <dist> <out-dir>
import { readFile } from 'node:fs/promises';
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
/** Sets parameter `name` of the graph's node of `kind`. */
const set = (graph, kind, name, value) => {
  graph.nodes.find((node) => node.kind === kind).params[name] = value;
};
const hidden = (activation) => Array.from({ length: 8 }, () => [{ layer: 'Linear', out_features: 16 }, { layer: activation }]).flat();
/** Each diagnosis, the lesson whose graph provokes it, and the change that does. */
const DIAGNOSED = [
  ['plateau', 'learning-rate', () => {}],
  ['dead-units', 'momentum', (graph) => {
    set(graph, 'SGDOptimizer', 'learning_rate', 3.0);
    set(graph, 'SGDOptimizer', 'momentum', 0.9);
  }],
  ['gradients', 'momentum', (graph) => {
    set(graph, 'Network', 'layers', [...hidden('Sigmoid'), { layer: 'Linear', out_features: 2 }]);
    set(graph, 'EpochTracker', 'total_epochs', 5);
  }],
];
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu', epochs: 20 });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(120_000);
  await page.evaluate(() => window.scrollTo(0, 0));
  await kindling.byTestId('explain-toggle').click();
  await kindling.node('SGDOptimizer').hover();
  await page.locator('[data-testid="explanation-formula"]').waitFor();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/explain-sgd-${name}.png` });
  await kindling.byTestId('loss-chart').scrollIntoViewIfNeeded();
  await kindling.byTestId('loss-chart').hover();
  await page.locator('[data-testid="explanation"][data-key="loss-chart"]').waitFor();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/explain-chart-${name}.png` });
  await kindling.byTestId('explain-toggle').click();

  // The lesson editor, a step half written (a goal that does not read yet).
  await page.evaluate(() => window.scrollTo(0, 0));
  await kindling.byTestId('lessons-button').click();
  await kindling.byTestId('make-lesson').click();
  await kindling.byTestId('author-title').fill('Why momentum helps');
  await page.locator('[data-testid="author-text"]').first().fill('Train with momentum **0**, then **0.9**, and compare the curves.');
  await page.locator('[data-testid="author-locks"]').first().fill('SGDOptimizer.learning_rate');
  await page.locator('[data-testid="author-question"]').first().fill('Which falls faster?');
  await page.locator('[data-testid="author-choices"]').first().fill('momentum 0\nmomentum 0.9');
  await page.locator('[data-testid="author-goal"]').first().fill('epochs_rum >= 20');
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/lesson-author-${name}.png` });
  await kindling.byTestId('author-close').click();

  // Dark mode: the same page, the system set to dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/dark-${name}.png` });
  await page.locator('.run-panel').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/dark-charts-${name}.png` });
  // The embedded page, on the link of the graph as it stands.
  await kindling.byTestId('share-button').click();
  const link = new URL(await kindling.byTestId('share-link').inputValue());
  await page.emulateMedia({ colorScheme: 'light' });
  await kindling.close();
  const embedded = await KindlingPage.open(browser, server, { viewport, url: `${server.url}?embed&backend=cpu${link.hash}` });
  await embedded.byTestId('embed-bar').waitFor();
  await embedded.frames(3);
  await embedded.page.screenshot({ path: `${out}/embed-${name}.png` });
  await embedded.close();

  // The diagnoses, each on its graph (a built-in lesson's start, changed).
  for (const [diagnosis, slug, change] of DIAGNOSED) {
    const provoked = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
    const { graph, view } = JSON.parse(await readFile(new URL(`../../lessons/${slug}.json`, import.meta.url), 'utf8'));
    change(graph);
    const json = JSON.stringify({ format: 'kindling-experiment', version: 1, graph, view });
    await provoked.byTestId('import-json').setInputFiles({ name: `${diagnosis}.json`, mimeType: 'application/json', buffer: Buffer.from(json) });
    await provoked.byTestId('train-button').click();
    await provoked.waitWhileTraining(180_000);
    const notice = provoked.page.locator(`[data-notice="${diagnosis}"]`);
    await notice.waitFor();
    await notice.scrollIntoViewIfNeeded();
    await provoked.frames(3);
    await provoked.page.locator('.run-panel').screenshot({ path: `${out}/diagnoses-${diagnosis}-${name}.png` });
    await provoked.close();
  }
}
await browser.close();
await server.close();
