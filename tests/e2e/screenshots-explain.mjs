// Renders what issue 31's second half added, to look at: Explain mode on a node with its
// formula and on a chart, the lesson editor beside the page, and the page in dark mode, at
// desktop (1280×800) and phone (390×844) sizes.
// Usage: node tests/e2e/screenshots-explain.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
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
  await kindling.close();
}
await browser.close();
await server.close();
