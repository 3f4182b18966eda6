// Benchmark (not a test): a long run in the page — 5 000 epochs of the default graph on the
// CPU backend, views on — and what it costs as it goes: the JavaScript heap, the WebAssembly
// memory, how long the charts take to redraw (the loss chart's log-scale toggle, timed to
// the end of the update it triggers; median of 10) and epochs per second, at epoch 100 and at
// the end. Charts decimate to a bounded number of points, so a redraw at the end should cost
// about what it cost at epoch 100, and memory should not grow with the epochs.
// Usage: node tests/e2e/bench-long-run.mjs <dist> [epochs]   (run by `cargo xtask bench`)
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist', epochsArg = '5000'] = process.argv.slice(2);
const EPOCHS = Number(epochsArg);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (event) => {
    window.__wasm = event.detail.wasm;
  });
});
await page.goto(`${server.url}?backend=cpu`);
const kindling = new KindlingPage(page);
await kindling.waitForReady();
await kindling.setParam('EpochTracker', 'total_epochs', String(EPOCHS));

const epochsDone = async () => Number((await kindling.text('epoch')).split('/')[0]);

/** What the page holds and costs now (call while paused or done). */
async function measure() {
  const redraws = [];
  for (let toggle = 0; toggle < 10; toggle++) {
    redraws.push(
      await page.evaluate(async () => {
        const box = document.querySelector('[data-testid="log-scale"]');
        const started = performance.now();
        box.click();
        // The chart is redrawn in a frame of its own after the click (`ui/paced.rs`): wait
        // until it has been, and for the frame that lays it out, then measure.
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 0));
        while (document.querySelector('[data-testid="loss-chart"][data-pending="true"]')) await frame();
        await frame();
        return performance.now() - started;
      }),
    );
  }
  redraws.sort((a, b) => a - b);
  const memory = await page.evaluate(() => ({
    heap: performance.memory?.usedJSHeapSize ?? NaN,
    wasm: window.__wasm?.memory?.buffer.byteLength ?? NaN,
    points: [...document.querySelectorAll('[data-testid="loss-chart"] svg polyline, [data-testid="loss-chart"] svg path')]
      .map((line) => (line.getAttribute('points') ?? line.getAttribute('d') ?? '').split(/[ L]/).length)
      .reduce((most, count) => Math.max(most, count), 0),
  }));
  return { epoch: await epochsDone(), redraw: redraws[5], ...memory };
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const line = (label, m, rate) =>
  `${label}: epoch ${m.epoch}, chart redraw ${m.redraw.toFixed(1)} ms (median of 10), longest chart line ` +
  `${m.points} points, JS heap ${mib(m.heap)}, wasm memory ${mib(m.wasm)}, ${rate.toFixed(1)} epochs/s`;

let started = Date.now();
await kindling.byTestId('train-button').click();
await page.waitForFunction(() => Number(document.querySelector('[data-testid="epoch"]').textContent.split('/')[0]) >= 100, null, {
  timeout: 300_000,
});
await kindling.byTestId('pause-button').click();
await kindling.waitForStatus('paused');
const early = await measure();
const earlyRate = early.epoch / ((Date.now() - started) / 1000);
started = Date.now();
await kindling.byTestId('resume-button').click();
await kindling.waitWhileTraining(3_600_000);
const late = await measure();
const lateRate = (late.epoch - early.epoch) / ((Date.now() - started) / 1000);
console.log(line('after epoch 100', early, earlyRate));
console.log(line('at the end     ', late, lateRate));
console.log(
  `end / epoch 100: redraw ×${(late.redraw / early.redraw).toFixed(2)}, JS heap ×${(late.heap / early.heap).toFixed(2)}, ` +
    `wasm memory ×${(late.wasm / early.wasm).toFixed(2)}, epochs/s ×${(lateRate / earlyRate).toFixed(2)}`,
);
await browser.close();
await server.close();
