// Benchmark (not a test): how responsive the page stays while training the default graph on
// the CPU backend, in headless Chromium — animation-frame intervals (p50, p95, longest), long
// tasks (PerformanceObserver `longtask`, tasks over 50 ms) and long animation frames
// (`long-animation-frame`). Three runs, after the engine's warm-up.
// Usage: node tests/e2e/bench-responsiveness.mjs <dist>   (run by `cargo xtask bench`)
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist'] = process.argv.slice(2);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await KindlingPage.recordFrames(page);
await page.goto(server.url);
const kindling = new KindlingPage(page);
await page.locator('[data-testid="backend"][data-ready="true"]').waitFor({ timeout: 30_000 });
for (let run = 1; run <= 3; run++) {
  await kindling.settle();
  const start = await page.evaluate(() => performance.now());
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining();
  const end = await page.evaluate(() => performance.now());
  const intervals = await page.evaluate(([from, to]) => {
    const frames = window.__frames.filter((t) => t >= from && t <= to);
    return frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  }, [start, end]);
  const long = await kindling.longTasks(start, end);
  console.log(
    `run ${run}: 200 epochs in ${(end - start).toFixed(0)} ms; frame interval p50 ${percentile(intervals, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(intervals, 95).toFixed(1)} ms, longest ${intervals.at(-1).toFixed(1)} ms; ` +
      `long tasks ${long.tasks} (longest ${long.longestTask.toFixed(0)} ms); ` +
      `long animation frames ${long.longFrames} (longest ${long.longestFrame.toFixed(0)} ms)`,
  );
}
await browser.close();
await server.close();
