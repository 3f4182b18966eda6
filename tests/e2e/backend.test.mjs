// End to end: the backends. WebGPU (Chromium's SwiftShader adapter, with the flags that
// expose it) trains the default graph to ≥ 95%; without an adapter the page says why and
// trains on the CPU; a GPU lost mid-run hands the run to the CPU from its last weights;
// the backend picker moves a run between backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KindlingPage, launch } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();
let gpuBrowser;
before(async () => {
  gpuBrowser = await launch({ webgpu: true });
});
after(async () => {
  await gpuBrowser?.close();
});

/** Keeps every GPUDevice the engine asks for on `self.__gpuDevices`, in its worker, so a test
 * can lose one: prepended to the worker's script as it is served. */
const KEEP_DEVICES = `
const request = GPUAdapter.prototype.requestDevice;
self.__gpuDevices = [];
GPUAdapter.prototype.requestDevice = async function (...args) {
  const device = await request.apply(this, args);
  self.__gpuDevices.push(device);
  return device;
};
`;

async function keepDevices(page) {
  await page.route('**/engine-worker.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: KEEP_DEVICES + (await response.text()) });
  });
}

/** The page in `browser` with `query`, warmed up (preparing the GPU takes a while on
 * SwiftShader); with `keep`, its GPU devices kept for a test to lose. */
const open = (browser, query, { keep = false } = {}) =>
  KindlingPage.open(browser, env.server, { query, prepare: keep ? keepDevices : undefined, timeout: 120_000 });

test('WebGPU trains the default graph to at least 95% on the spiral', async () => {
  const kindling = await open(gpuBrowser, '?backend=webgpu');
  assert.equal(await kindling.text('backend'), 'webgpu');
  assert.equal(await kindling.byTestId('gpu-state').getAttribute('data-state'), 'ready');
  assert.equal(await kindling.byTestId('backend-select').inputValue(), 'webgpu');
  // Mixed precision: the node says what this adapter gives (SwiftShader: f16 or not).
  await kindling.selectNode('TrainingStep');
  const box = kindling.page.locator('[data-testid="inspector"] [data-param="mixed_precision"]');
  await box.check();
  const note = await kindling.node('TrainingStep').locator('[data-testid="node-note"]').textContent();
  console.log(`webgpu (SwiftShader): ${note}`);
  assert.match(note, /mixed precision: (computes in f16 \(shader-f16\)|f32: this GPU has no shader-f16)/);
  await box.uncheck();
  const started = Date.now();
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(900_000), 'done');
  const seconds = (Date.now() - started) / 1000;
  const accuracy = await kindling.value('train-accuracy');
  console.log(`webgpu (SwiftShader): 200 epochs in ${seconds.toFixed(1)} s, train accuracy ${accuracy}`);
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
  assert.equal(await kindling.text('backend'), 'webgpu', 'it stayed on the GPU');
  // Its checkpoints carry the optimizer's state and the batch order, read off the GPU
  // asynchronously; the last one restores exactly.
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="checkpoint"]')?.dataset.epoch === '200');
  await kindling.byTestId('restore-checkpoint').click();
  await kindling.waitForStatus('paused');
  assert.match(await kindling.notice(), /checkpoint of epoch 200 .*goes on exactly where it stood/);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('without a WebGPU adapter the page says so and trains on the CPU', async () => {
  // Asked for by the link: a warning.
  const asked = await open(env.browser, '?backend=webgpu');
  assert.equal(await asked.text('backend'), 'cpu');
  assert.equal(await asked.byTestId('gpu-state').getAttribute('data-state'), 'unavailable');
  const notice = asked.byTestId('notice');
  assert.equal(await notice.getAttribute('data-kind'), 'warning');
  assert.match(await notice.textContent(), /CPU.*adapter|adapter.*CPU/i);
  assert.ok(await asked.page.locator('[data-testid="backend-select"] option[value="webgpu"]').isDisabled());
  await asked.byTestId('train-button').click();
  assert.equal(await asked.waitWhileTraining(), 'done');
  assert.ok((await asked.value('train-accuracy')) >= 0.95);
  assert.deepEqual(asked.errors, []);
  // Mixed precision asked for on the CPU: the TrainingStep node says it trains in f32.
  await asked.selectNode('TrainingStep');
  await asked.page.locator('[data-testid="inspector"] [data-param="mixed_precision"]').check();
  const note = asked.node('TrainingStep').locator('[data-testid="node-note"]');
  assert.match(await note.textContent(), /mixed precision: f32 on the CPU/);
  await asked.close();
  // The default: information, not a warning.
  const plain = await open(env.browser, '');
  assert.equal(await plain.text('backend'), 'cpu');
  assert.equal(await plain.byTestId('notice').getAttribute('data-kind'), 'info');
  await plain.close();
  // `?backend=cpu` does not look for a GPU at all.
  const cpu = await open(gpuBrowser, '?backend=cpu');
  assert.equal(await cpu.text('backend'), 'cpu');
  assert.equal(await cpu.byTestId('gpu-state').getAttribute('data-state'), 'off');
  await cpu.close();
});

test('a GPU lost mid-run hands the run to the CPU from its last weights, with a notice', async () => {
  const kindling = await open(gpuBrowser, '?backend=webgpu', { keep: true });
  const page = kindling.page;
  assert.equal(await kindling.text('backend'), 'webgpu');
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(3, 300_000);
  const lostAt = await kindling.epochsDone();
  const engine = await kindling.engineWorker();
  await engine.evaluate(() => self.__gpuDevices.forEach((device) => device.destroy()));
  await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'cpu', null, { timeout: 60_000 });
  const notice = kindling.byTestId('notice');
  assert.equal(await notice.getAttribute('data-kind'), 'warning');
  assert.match(await notice.textContent(), /GPU was lost.*CPU from the weights of epoch \d+/);
  const from = Number((await notice.textContent()).match(/epoch (\d+)/)[1]);
  assert.ok(from >= 1 && from <= lostAt + 1, `went on from epoch ${from}, lost at ${lostAt}`);
  assert.equal(await kindling.byTestId('gpu-state').getAttribute('data-state'), 'lost');
  assert.ok(await page.locator('[data-testid="backend-select"] option[value="webgpu"]').isDisabled());
  assert.equal(await kindling.waitWhileTraining(120_000), 'done');
  assert.equal(await kindling.text('epoch'), '200/200');
  const accuracy = await kindling.value('train-accuracy');
  console.log(`GPU lost after epoch ${lostAt}, went on from epoch ${from}: train accuracy ${accuracy}`);
  assert.ok(accuracy >= 0.75, `accuracy ${accuracy}`);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the backend picker moves a running session to the CPU at the next epoch', async () => {
  const kindling = await open(gpuBrowser, '?backend=webgpu');
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(1, 300_000);
  await kindling.byTestId('backend-select').selectOption('cpu');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'cpu', null, { timeout: 60_000 });
  const moved = await kindling.notice();
  assert.match(moved, /moved to cpu after epoch \d+/);
  const at = Number(moved.match(/after epoch (\d+)/)[1]);
  assert.ok(at >= 1, `moved after epoch ${at}`);
  assert.equal(await kindling.waitWhileTraining(120_000), 'done');
  // The run went on (200 epochs in all, not 200 more). Where it ends on this spiky loss
  // surface depends on the momentum the move dropped (0.88–0.99 seen), so the bar is lower.
  assert.equal(await kindling.text('epoch'), '200/200');
  const accuracy = await kindling.value('train-accuracy');
  console.log(`moved to the CPU after epoch ${at}: train accuracy ${accuracy}`);
  assert.ok(accuracy >= 0.75, `accuracy ${accuracy}`);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
