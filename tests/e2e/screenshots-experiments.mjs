// Renders the experiment views into PNGs to look at, at desktop (1280×800) and phone
// (390×844) sizes: a sweep's inspector fields, the Sweep panel after a pruned sweep (table,
// curves, scatters) with a trial selected, the learning-rate range test, and runs compared.
// Usage: node tests/e2e/screenshots-experiments.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu', epochs: 40 });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  const inspector = kindling.byTestId('inspector');
  await kindling.selectNode('SGDOptimizer');
  for (const [param, values] of [['learning_rate', '0.003..0.3 log 3'], ['momentum', '0, 0.9']]) {
    await inspector.locator(`[data-sweep="${param}"]`).check();
    await inspector.locator(`[data-sweep-values="${param}"]`).fill(values);
    await inspector.locator(`[data-sweep-values="${param}"]`).press('Tab');
  }
  await kindling.selectNode('SGDOptimizer');
  await inspector.locator('[data-sweep-values="momentum"]').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/${name}-sweep-inspector.png` });
  await kindling.byTestId('sweep-pruning').selectOption('asha');
  await kindling.byTestId('sweep-min-epochs').fill('2');
  await kindling.byTestId('sweep-min-epochs').press('Tab');
  await kindling.byTestId('sweep-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sweep-status"]')?.textContent === 'done', null, { timeout: 300_000 });
  await kindling.byTestId('sweep-sort-value').click();
  await page.locator('[data-testid="sweep-table"] tbody tr').first().click();
  // Clicking scrolled the table sideways on a phone: show it from its first column.
  await page.locator('.sweep-table-wrap').evaluate((wrap) => { wrap.scrollLeft = 0; });
  await kindling.byTestId('sweep-panel').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await kindling.byTestId('sweep-panel').screenshot({ path: `${out}/${name}-sweep.png` });
  // The range test on the optimizer.
  await kindling.selectNode('SGDOptimizer');
  await kindling.byTestId('lr-range-test').click();
  await kindling.byTestId('lr-suggestion').waitFor({ timeout: 120_000 });
  await kindling.byTestId('apply-lr-suggestion').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/${name}-lr-range-test.png` });
  // Runs compared: three runs, the learning rate then the momentum changed.
  await page.evaluate(() => window.scrollTo(0, 0));
  await kindling.setParam('EpochTracker', 'total_epochs', '30');
  for (const [param, value] of [[null, null], ['learning_rate', '0.1'], ['momentum', '0.5']]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    if (param) await kindling.setParam('SGDOptimizer', param, value);
    await kindling.byTestId('train-button').click();
    await kindling.waitWhileTraining(180_000);
  }
  await kindling.byTestId('runs').scrollIntoViewIfNeeded();
  await kindling.frames(3);
  await page.locator('.charts-column').screenshot({ path: `${out}/${name}-runs-compared.png` });
  await kindling.close();
}
await browser.close();
await server.close();
