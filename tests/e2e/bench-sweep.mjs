// Benchmark (not a test): a sweep on one worker against the same sweep on two — an 8-trial
// grid (learning rate × momentum) on the basic loop, 40 epochs a trial, timed from Run sweep
// to done in headless Chromium on the CPU backend; three rounds of each, alternating, and the
// speed-up of the medians. Usage: node tests/e2e/bench-sweep.mjs <dist>  (`cargo xtask bench`)
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const kindling = await KindlingPage.open(browser, server, { query: '?backend=cpu', epochs: 40, timeout: 60_000 });
const { page } = kindling;

/** Sweeps `name` of the first `kind` over `values`, from the inspector. */
async function sweep(kind, name, values) {
  await kindling.selectNode(kind);
  const inspector = kindling.byTestId('inspector');
  await inspector.locator(`[data-sweep="${name}"]`).check();
  const field = inspector.locator(`[data-sweep-values="${name}"]`);
  await field.fill(values);
  await field.press('Tab');
}
await sweep('SGDOptimizer', 'learning_rate', '0.01, 0.03, 0.1, 0.3');
await sweep('SGDOptimizer', 'momentum', '0, 0.9');

const cores = await page.evaluate(() => navigator.hardwareConcurrency);
const most = Number(await kindling.byTestId('sweep-workers').locator('option').last().getAttribute('value'));
const times = { 1: [], [most]: [] };
for (let round = 0; round < 3; round++) {
  for (const workers of [1, most]) {
    await kindling.byTestId('sweep-workers').selectOption(String(workers));
    await kindling.settle();
    const start = Date.now();
    await kindling.byTestId('sweep-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sweep-status"]')?.textContent === 'done', null, {
      timeout: 600_000,
      polling: 200,
    });
    times[workers].push((Date.now() - start) / 1000);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [one, many] = [median(times[1]), median(times[most])];
console.log(`sweep of 8 trials × 40 epochs (basic loop), ${cores} cores:`);
console.log(`| workers | seconds (rounds) | speed-up |`);
console.log(`|---|---|---|`);
console.log(`| 1 | ${one.toFixed(1)} (${times[1].map((t) => t.toFixed(1)).join(', ')}) | 1.00× |`);
console.log(`| ${most} | ${many.toFixed(1)} (${times[most].map((t) => t.toFixed(1)).join(', ')}) | ${(one / many).toFixed(2)}× |`);
await browser.close();
await server.close();
