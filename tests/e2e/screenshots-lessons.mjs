// Renders what issue 31 added, to look at: the Lessons list, a lesson in progress (a question
// answered, the goal's tests read live, a highlight), and the diagnoses with their changes to
// try (underfitting and a plateau on XOR without a hidden layer; overfitting), at desktop
// (1280×800) and phone (390×844) sizes.
// Usage: node tests/e2e/screenshots-lessons.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.byTestId('lessons-button').click();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/lessons-list-${name}.png` });
  await page.locator('[data-lesson="one-neuron"]').click();
  await page.locator('[data-testid="lesson-step"]').waitFor();
  await page.locator('[data-testid="lesson-prediction"] [data-choice]').nth(2).click();
  await kindling.byTestId('train-button').click();
  await page.locator('[data-testid="lesson-step"][data-done="true"]').waitFor({ timeout: 120_000 });
  await kindling.waitWhileTraining(120_000);
  await page.evaluate(() => window.scrollTo(0, 0));
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/lesson-step-${name}.png` });
  const diagnoses = kindling.byTestId('diagnoses');
  await diagnoses.scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await page.locator('.run-panel').screenshot({ path: `${out}/diagnoses-underfitting-${name}.png` });
  await kindling.close();

  // Overfitting: the lesson's graph, trained to its end.
  const overfit = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
  await overfit.byTestId('lessons-button').click();
  await overfit.page.locator('[data-lesson="overfitting"]').click();
  await overfit.page.locator('[data-testid="lesson-prediction"] [data-choice]').nth(2).click();
  await overfit.byTestId('train-button').click();
  await overfit.waitWhileTraining(180_000);
  await overfit.page.locator('[data-notice="overfitting"]').scrollIntoViewIfNeeded();
  await overfit.frames(3);
  await overfit.page.locator('.run-panel').screenshot({ path: `${out}/diagnoses-overfitting-${name}.png` });
  await overfit.close();
}
await browser.close();
await server.close();
