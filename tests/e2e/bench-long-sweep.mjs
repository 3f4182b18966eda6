// Benchmark (not a test): a long sweep in the page — 8 trials (learning rates) of the default
// graph, EPOCHS epochs each, on the CPU backend in the engine's workers — and what a publish
// costs as it goes. The page times each publish in its performance timeline
// (`web::clock::measured`): applying the engine's updates to its records
// (`kindling:sweep-publish`), then redrawing the results table (`kindling:sweep-table`) and
// the charts (`kindling:sweep-charts`). This prints their medians and longest over the first
// and the last WINDOW seconds of the sweep, the JavaScript heap and the WebAssembly memory at
// both times, and the longest chart line. A trial keeps a bounded record (`TrialRecord`), so
// a publish at the end should cost what it cost at the start, and memory should not grow with
// the epochs.
// Usage: node tests/e2e/bench-long-sweep.mjs <dist> [epochs per trial]   (`cargo xtask bench`)
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist', epochsArg = '3000'] = process.argv.slice(2);
const EPOCHS = Number(epochsArg);
const TRIALS = 8;
const WINDOW = 15_000;
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const kindling = await KindlingPage.open(browser, server, {
  query: '?backend=cpu',
  epochs: EPOCHS,
  timeout: 60_000,
  init: () => {
    addEventListener('TrunkApplicationStarted', (event) => {
      window.__wasm = event.detail.wasm;
    });
    // The page clears its measures now and then; an observer sees every one.
    window.__measures = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.name.startsWith('kindling:sweep-')) window.__measures.push([entry.name, entry.startTime, entry.duration]);
      }
    }).observe({ type: 'measure' });
  },
});
const { page } = kindling;

await kindling.selectNode('SGDOptimizer');
const inspector = kindling.byTestId('inspector');
await inspector.locator('[data-sweep="learning_rate"]').check();
const values = inspector.locator('[data-sweep-values="learning_rate"]');
await values.fill('0.003, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3');
await values.press('Tab');
await kindling.settle();

const memory = () =>
  page.evaluate(() => ({
    now: performance.now(),
    heap: performance.memory?.usedJSHeapSize ?? NaN,
    wasm: window.__wasm?.memory?.buffer.byteLength ?? NaN,
    points: [...document.querySelectorAll('[data-testid="sweep-curves"] svg polyline, [data-testid="sweep-curves"] svg path')]
      .map((line) => (line.getAttribute('points') ?? line.getAttribute('d') ?? '').split(/[ L]/).length)
      .reduce((most, count) => Math.max(most, count), 0),
    epochs: [...document.querySelectorAll('[data-testid="sweep-table"] tbody tr')]
      .map((row) => Number(row.cells[row.cells.length - 3]?.textContent.split('/')[0]) || 0)
      .reduce((sum, count) => sum + count, 0),
  }));

const started = await page.evaluate(() => performance.now());
const wall = Date.now();
await kindling.byTestId('sweep-run').click();
await page.waitForTimeout(WINDOW);
const early = await memory();
await page.waitForFunction(() => document.querySelector('[data-testid="sweep-status"]')?.textContent === 'done', null, {
  timeout: 3_600_000,
  polling: 1000,
});
const seconds = (Date.now() - wall) / 1000;
const late = await memory();
const measures = await page.evaluate(() => window.__measures);
const ended = Math.max(...measures.map(([, at]) => at));

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const stats = (name, from, to) => {
  const durations = measures
    .filter(([kind, at]) => kind === name && at >= from && at <= to)
    .map(([, , duration]) => duration)
    .sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)] ?? NaN;
  return { median, longest: durations.at(-1) ?? NaN, count: durations.length };
};
console.log(`a sweep of ${TRIALS} trials × ${EPOCHS} epochs (the default graph, CPU), ${seconds.toFixed(0)} s in all:`);
console.log('| | first 15 s | last 15 s | last / first |');
console.log('|---|---|---|---|');
for (const name of ['kindling:sweep-publish', 'kindling:sweep-table', 'kindling:sweep-charts']) {
  const first = stats(name, started, started + WINDOW);
  const last = stats(name, ended - WINDOW, ended);
  console.log(
    `| ${name.slice('kindling:'.length)} (median, longest; publishes) | ${first.median.toFixed(2)} ms, ${first.longest.toFixed(2)} ms (${first.count}) ` +
      `| ${last.median.toFixed(2)} ms, ${last.longest.toFixed(2)} ms (${last.count}) | ×${(last.median / first.median).toFixed(2)} |`,
  );
}
console.log(`| epochs closed, all trials | ${early.epochs} | ${late.epochs} | |`);
console.log(`| JavaScript heap | ${mib(early.heap)} | ${mib(late.heap)} | ×${(late.heap / early.heap).toFixed(2)} |`);
console.log(`| the page's WebAssembly memory | ${mib(early.wasm)} | ${mib(late.wasm)} | ×${(late.wasm / early.wasm).toFixed(2)} |`);
console.log(`| longest curve on the sweep chart | ${early.points} points | ${late.points} points | |`);
await browser.close();
await server.close();
