// Benchmark (not a test): how responsive the page stays while training, in headless Chromium
// on the CPU backend — animation-frame intervals (p50, p95, longest), long tasks
// (PerformanceObserver `longtask`, over 50 ms) and long animation frames (`long-animation-frame`,
// over 50 ms), all on the page's thread while the engine trains in its worker. Three runs of
// the default graph, then three of M (2-256-256-2, batch 64, 4096 points, 40 epochs) with the
// views (decision boundary, confusion matrix) on.
// Usage: node tests/e2e/bench-responsiveness.mjs <dist>   (run by `cargo xtask bench`)
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist'] = process.argv.slice(2);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** The basic loop as workload M. */
async function workloadM() {
  const graph = JSON.parse(await readFile(new URL('../../examples/basic_loop.json', import.meta.url)));
  const node = (kind) => graph.nodes.find((n) => n.kind === kind);
  Object.assign(node('Dataset').params, { kind: 'spiral', samples: 4096, classes: 2, seed: 1 });
  Object.assign(node('BatchSampler').params, { batch_size: 64 });
  node('EpochTracker').params.total_epochs = 40;
  node('Network').params.layers = [
    { layer: 'Linear', out_features: 256 }, { layer: 'ReLU' },
    { layer: 'Linear', out_features: 256 }, { layer: 'ReLU' },
    { layer: 'Linear', out_features: 2 },
  ];
  const path = join(await mkdtemp(join(tmpdir(), 'kindling-bench-')), 'M.json');
  await writeFile(path, JSON.stringify(graph));
  return path;
}

const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await KindlingPage.recordFrames(page);
await page.goto(`${server.url}?backend=cpu`);
const kindling = new KindlingPage(page);
await page.locator('[data-testid="backend"][data-ready="true"]').waitFor({ timeout: 30_000 });

/** Trains what the page holds, three times; a line per run. */
async function runs(label) {
  for (let run = 1; run <= 3; run++) {
    await kindling.settle();
    const start = await page.evaluate(() => performance.now());
    await kindling.byTestId('train-button').click();
    await kindling.waitWhileTraining(600_000);
    const end = await page.evaluate(() => performance.now());
    const intervals = await page.evaluate(([from, to]) => {
      const frames = window.__frames.filter((t) => t >= from && t <= to);
      return frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    }, [start, end]);
    const long = await kindling.longTasks(start, end);
    console.log(
      `${label}, run ${run}: trained in ${(end - start).toFixed(0)} ms; frame interval p50 ${percentile(intervals, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(intervals, 95).toFixed(1)} ms, longest ${intervals.at(-1).toFixed(1)} ms; ` +
        `long tasks ${long.tasks} (longest ${long.longestTask.toFixed(0)} ms); ` +
        `long animation frames ${long.longFrames} (longest ${long.longestFrame.toFixed(0)} ms)`,
    );
  }
}

await runs('default graph (200 epochs)');
await kindling.byTestId('import-json').setInputFiles(await workloadM());
await kindling.waitForNotice('Imported M.json');
await runs('M with the views on (40 epochs)');
await browser.close();
await server.close();
