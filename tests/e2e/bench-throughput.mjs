// Benchmark (not a test): Kindling against TensorFlow.js 4.22 in one headless Chromium session,
// on the CPU, on three workloads of the same shapes —
//   S       MLP 2-16-16-2 ReLU, batch 10, 500 spiral points (overhead-bound)
//   M       MLP 2-256-256-2 ReLU, batch 64, 4096 spiral points (≈ 0.4 MFLOP per sample)
//   digits  Flatten-64-ReLU-Dropout(0.1)-10, batch 64, the 1797 8×8 digits
//   CNN     Conv2d(8,3,padding=1)-ReLU-MaxPool2d(2)-Conv2d(16,3,padding=1)-ReLU-MaxPool2d(2)-
//           Flatten-Linear(4), batch 32, 2048 generated 1×16×16 shapes
// all with SGD (learning rate 0.03, momentum 0.9) and a shuffle per epoch. Kindling runs as a
// user runs it: the release build from `dist/`, a graph file imported, Train pressed — with its
// views (decision boundary, confusion matrix, charts) and with them off (`?views=off`: the
// engine alone). TensorFlow.js runs a custom training loop of the same shapes on its `cpu` and
// `wasm` (XNNPACK, SIMD, one thread) backends. The SIMD ceiling is the machine's one-thread
// WebAssembly SIMD peak — a loop of independent f32x4 multiplies and adds, which no matrix
// product can beat — turned into samples per second at 3 × 2 × Σ(in·out) FLOP per sample;
// TF.js wasm's best matrix product is printed beside it.
//
// Prints one table: samples per second, ratios to the best TF.js backend, the fraction of the
// ceiling, the first epoch's time and long tasks while training; then the page's start-up
// times and the wasm's size (raw, gzip, brotli). Numbers only: nothing here passes or fails.
//
// Usage: node tests/e2e/bench-throughput.mjs <dist> <tfjs node_modules>   (`cargo xtask bench`);
// KINDLING_BENCH_ONLY=<workload> runs one workload, KINDLING_BENCH_DEBUG=1 lists each long task,
// KINDLING_BENCH_STEP_LOG=off unwires EpochTracker's `loss` input (no step log, no gradient norm).
import { readFile, readdir, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { serveDist } from './server.mjs';
import { launch, KindlingPage } from './browser.mjs';

const [dist = 'dist', modules = 'xtask/bench/node_modules'] = process.argv.slice(2);
const ROOT = new URL('../../', import.meta.url);

const ALL_WORKLOADS = [
  { name: 'S', dataset: 'spiral', samples: 500, batch: 10, layers: [16, 16], classes: 2, epochs: 400 },
  { name: 'M', dataset: 'spiral', samples: 4096, batch: 64, layers: [256, 256], classes: 2, epochs: 40 },
  { name: 'digits', dataset: 'digits', samples: 1797, batch: 64, layers: [64], classes: 10, epochs: 150, dropout: 0.1 },
  // Two convolution blocks of `convolutions` channels (3×3, padding 1, each halving the side
  // with a 2×2 max pool), then the Linear layers of `layers` and the classes.
  { name: 'CNN', dataset: 'shapes', samples: 2048, batch: 32, image: 16, convolutions: [8, 16], layers: [], classes: 4, epochs: 12 },
];
// `KINDLING_BENCH_ONLY=M` (a workload's name) runs one workload.
const WORKLOADS = ALL_WORKLOADS.filter((w) => !process.env.KINDLING_BENCH_ONLY || w.name === process.env.KINDLING_BENCH_ONLY);
/** Features per sample going into the first Linear layer (after the convolutions' blocks). */
const inputsOf = (w) => {
  if (w.convolutions) return (w.image / 2 ** w.convolutions.length) ** 2 * w.convolutions.at(-1);
  return w.dataset === 'digits' ? 64 : 2;
};
/** Training FLOP per sample: forward 2·in·out per linear layer and 2·9·in·out per pixel of a
 * 3×3 convolution, backward twice that (pools and activations left out). */
const flopPerSample = (w) => {
  const sizes = [inputsOf(w), ...w.layers, w.classes];
  let side = w.image;
  const convolutions = (w.convolutions ?? []).reduce((sum, out, i, all) => {
    const flop = side * side * 9 * (i === 0 ? 1 : all[i - 1]) * out;
    side /= 2;
    return sum + flop;
  }, 0);
  return 6 * (convolutions + sizes.slice(1).reduce((sum, out, i) => sum + sizes[i] * out, 0));
};

const browser = await launch();

/** The SIMD peak's module: `peak(n)` runs n rounds of 12 independent f32x4 multiply-adds
 * (96 FLOP a round), written in WebAssembly text and assembled by binaryen (already a tool of
 * the build). */
const PEAK_ACCUMULATORS = 12;
async function peakModule() {
  const { default: binaryen } = await import(new URL('../../xtask/node_modules/binaryen/index.js', import.meta.url));
  const accs = [...Array(PEAK_ACCUMULATORS).keys()];
  const module = binaryen.parseText(`(module (func (export "peak") (param $n i32) (result f32)
    ${accs.map((i) => `(local $a${i} v128)`).join(' ')} (local $x v128) (local $y v128)
    (local.set $x (f32x4.splat (f32.const 0.999)))
    (local.set $y (f32x4.splat (f32.const 0.001)))
    (loop $round
      ${accs.map((i) => `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $x)) (local.get $y)))`).join(' ')}
      (br_if $round (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (f32x4.extract_lane 0 ${accs.slice(1).reduce((sum, i) => `(f32x4.add ${sum} (local.get $a${i}))`, '(local.get $a0)')})))`);
  module.setFeatures(binaryen.Features.SIMD128);
  if (!module.validate()) throw new Error('the SIMD peak module does not validate');
  return [...module.emitBinary()];
}

/** GFLOP/s of the peak module in the page: the best of five runs of 0.2 s or so. */
function simdPeak([bytes, accumulators]) {
  return (async () => {
    const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
    let best = 0;
    for (let run = 0; run < 5; run++) {
      const rounds = 10_000_000;
      const started = performance.now();
      instance.exports.peak(rounds);
      best = Math.max(best, (rounds * accumulators * 8) / ((performance.now() - started) / 1000) / 1e9);
    }
    return best;
  })();
}

// ---- TensorFlow.js: the peer, and the SIMD ceiling --------------------------------------
const TFJS = 'http://tfjs.bench/';
async function tfjsPage() {
  const page = await browser.newPage();
  const files = {
    'tf.js': join(modules, '@tensorflow/tfjs/dist/tf.min.js'),
    'tf-backend-wasm.js': join(modules, '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'),
  };
  const wasmDir = join(modules, '@tensorflow/tfjs-backend-wasm/dist/');
  await page.route(`${TFJS}**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === '') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>tfjs</title>' });
    const path = files[name] ?? (name.endsWith('.wasm') ? join(wasmDir, name) : null);
    if (!path) return route.fulfill({ status: 404, body: 'not found' });
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ contentType: type, body: await readFile(path) });
  });
  await page.goto(TFJS);
  for (const name of Object.keys(files)) await page.addScriptTag({ url: TFJS + name });
  await page.evaluate((base) => tf.wasm.setWasmPaths(base), TFJS);
  return page;
}

/** A custom TF.js training loop (the shapes and optimizer of `w`) on `backend`: the first
 * epoch's time, then samples per second over the following epochs. */
function tfjsTrain([backend, w, inputs]) {
  return (async () => {
    await tf.setBackend(backend);
    await tf.ready();
    const rows = w.samples;
    // Images as TF.js lays them out, [N, H, W, C]; points and digits flat.
    const x = w.convolutions ? tf.randomUniform([rows, w.image, w.image, 1], 0, 1) : tf.randomUniform([rows, inputs], -1, 1);
    const y = tf.oneHot(tf.randomUniform([rows], 0, w.classes, 'int32'), w.classes);
    const filters = (w.convolutions ?? []).map((out, i, all) => {
      const channels = i === 0 ? 1 : all[i - 1];
      return {
        kernel: tf.variable(tf.randomNormal([3, 3, channels, out], 0, Math.sqrt(2 / (9 * channels)))),
        bias: tf.variable(tf.zeros([out])),
      };
    });
    const sizes = [inputs, ...w.layers, w.classes];
    const params = sizes.slice(1).map((out, i) => ({
      weight: tf.variable(tf.randomNormal([sizes[i], out], 0, Math.sqrt(2 / sizes[i]))),
      bias: tf.variable(tf.zeros([out])),
    }));
    const optimizer = tf.train.momentum(0.03, 0.9);
    const convolve = (batch) =>
      filters
        .reduce((h, { kernel, bias }) => tf.maxPool(tf.relu(tf.conv2d(h, kernel, 1, 'same').add(bias)), 2, 2, 'valid'), batch)
        .reshape([batch.shape[0], inputs]);
    const forward = (batch) =>
      params.reduce((h, { weight, bias }, i) => {
        const z = h.matMul(weight).add(bias);
        if (i === params.length - 1) return z;
        const a = tf.relu(z);
        return w.dropout && i === 0 ? tf.dropout(a, w.dropout) : a;
      }, w.convolutions ? convolve(batch) : batch);
    const epoch = async () => {
      const order = tf.util.createShuffledIndices(rows);
      let loss = null;
      for (let start = 0; start < rows; start += w.batch) {
        const picked = Int32Array.from(order.subarray(start, Math.min(rows, start + w.batch)));
        loss?.dispose();
        loss = tf.tidy(() => {
          const index = tf.tensor1d(picked, 'int32');
          const [xb, yb] = [tf.gather(x, index), tf.gather(y, index)];
          return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)), true);
        });
      }
      await loss.data(); // the epoch's last loss read back, as a training loop's log would
      loss.dispose();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    let started = performance.now();
    await epoch();
    const firstEpoch = performance.now() - started;
    started = performance.now();
    let epochs = 0;
    while (performance.now() - started < 4000 || epochs < 3) {
      await epoch();
      epochs++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: (epochs * rows) / seconds, firstEpoch };
  })();
}

/** TF.js wasm's best square matrix product, GFLOP/s (for comparison with the peak). */
function tfjsMatmul() {
  return (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    let best = 0;
    for (const n of [256, 512, 1024]) {
      const [a, b] = [tf.randomUniform([n, n]), tf.randomUniform([n, n])];
      tf.matMul(a, b).dataSync();
      const reps = Math.max(3, Math.round(2e9 / (2 * n ** 3)));
      const started = performance.now();
      for (let i = 0; i < reps; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
      best = Math.max(best, (reps * 2 * n ** 3) / ((performance.now() - started) / 1000) / 1e9);
      a.dispose();
      b.dispose();
    }
    return best;
  })();
}

const tfjs = await tfjsPage();
const ceilingGflops = await tfjs.evaluate(simdPeak, [await peakModule(), PEAK_ACCUMULATORS]);
const matmulGflops = await tfjs.evaluate(tfjsMatmul);
const results = {};
for (const w of WORKLOADS) {
  results[w.name] = {};
  for (const backend of ['cpu', 'wasm']) {
    // A backend lacking a kernel the model needs (TF.js wasm has no Conv2DBackpropFilter, so it
    // cannot train a CNN) is reported as such and left out of the best.
    results[w.name][`tfjs-${backend}`] = await tfjs
      .evaluate(tfjsTrain, [backend, w, inputsOf(w)])
      .catch((error) => ({ failed: error.message.split('\n')[0].replace(/^page\.evaluate: /, '') }));
  }
}
await tfjs.close();

// ---- Kindling: the page, with and without its views -------------------------------------
const server = await serveDist(dist, '/kindling/');
const files = await mkdtemp(join(tmpdir(), 'kindling-bench-'));
const template = JSON.parse(await readFile(new URL('examples/basic_loop.json', ROOT)));

/** The basic loop's graph with `w`'s dataset, batch, layers and epochs. */
function graphOf(w) {
  const graph = structuredClone(template);
  const node = (kind) => graph.nodes.find((n) => n.kind === kind);
  Object.assign(node('Dataset').params, { kind: w.dataset, samples: w.samples, classes: w.classes, seed: 1 });
  if (w.image) node('Dataset').params.image_size = w.image;
  Object.assign(node('BatchSampler').params, { batch_size: w.batch });
  node('EpochTracker').params.total_epochs = w.epochs;
  const layers = [];
  for (const out_channels of w.convolutions ?? []) {
    layers.push(
      { layer: 'Conv2d', out_channels, kernel_size: 3, padding: 1 },
      { layer: 'ReLU' },
      { layer: 'MaxPool2d', kernel_size: 2 },
    );
  }
  if (w.dataset !== 'spiral') layers.push({ layer: 'Flatten' });
  w.layers.forEach((width, i) => {
    layers.push({ layer: 'Linear', out_features: width }, { layer: 'ReLU' });
    if (w.dropout && i === 0) layers.push({ layer: 'Dropout', p: w.dropout });
  });
  layers.push({ layer: 'Linear', out_features: w.classes });
  node('Network').params.layers = layers;
  if (process.env.KINDLING_BENCH_STEP_LOG === 'off') {
    // EpochTracker's `loss` input turns the step log (and its per-update gradient norm) on.
    const tracker = node('EpochTracker').id;
    graph.wires = graph.wires.filter((wire) => !(wire.to.node === tracker && wire.to.port === 'loss'));
  }
  return graph;
}

/** Opens the page, imports `w`'s graph, trains it to the end: samples per second after the
 * first epoch, the first epoch's time, long tasks, and the page's start-up times. */
async function kindlingTrain(w, views) {
  const path = join(files, `${w.name}.json`);
  await writeFile(path, JSON.stringify(graphOf(w)));
  const query = views ? '?backend=cpu' : '?backend=cpu&views=off';
  const kindling = await KindlingPage.open(browser, server, { query, recordFrames: true, timeout: 60_000 });
  const { page } = kindling;
  const startup = await page.evaluate(() => ({
    editor: performance.getEntriesByName('kindling-editor')[0]?.startTime,
    ready: performance.getEntriesByName('kindling-ready')[0]?.startTime,
  }));
  await kindling.byTestId('import-json').setInputFiles(path);
  await kindling.waitForNotice(`Imported ${w.name}.json`);
  await kindling.settle();
  const start = await kindling.now();
  await kindling.byTestId('train-button').click();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="epoch"]')?.textContent.split('/')[0]) >= 1,
    null,
    { polling: 'raf', timeout: 120_000 },
  );
  const firstEpochAt = await kindling.now();
  await kindling.waitWhileTraining(600_000);
  const end = await kindling.now();
  const long = await kindling.longTasks(start, end);
  if (process.env.KINDLING_BENCH_DEBUG) {
    console.log(w.name, views, await page.evaluate(([from, to]) => window.__longTasks.filter((e) => e.start >= from && e.start <= to).map((e) => [Math.round(e.start - from), Math.round(e.duration)]), [start, end]), 'first epoch at', Math.round(firstEpochAt - start), 'end', Math.round(end - start));
  }
  await kindling.close();
  const samples = (w.epochs - 1) * w.samples;
  return {
    perSecond: samples / ((end - firstEpochAt) / 1000),
    firstEpoch: firstEpochAt - start,
    longTasks: long.tasks,
    longestTask: long.longestTask,
    startup,
  };
}

const startups = [];
for (const w of WORKLOADS) {
  results[w.name]['kindling-engine'] = await kindlingTrain(w, false);
  results[w.name]['kindling-page'] = await kindlingTrain(w, true);
  startups.push(results[w.name]['kindling-page'].startup, results[w.name]['kindling-engine'].startup);
}
await browser.close();
await server.close();

// ---- The table ---------------------------------------------------------------------------
const round = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const ms = (n) => (n === undefined ? '–' : `${Math.round(n)} ms`);
console.log(
  `\nSIMD ceiling (one thread's f32x4 multiply-add peak): ${ceilingGflops.toFixed(1)} GFLOP/s; ` +
    `TF.js wasm's best matrix product: ${matmulGflops.toFixed(1)} GFLOP/s\n`,
);
console.log('| workload | runner | samples/s | ÷ best TF.js | of the ceiling | epoch one | long tasks (longest) |');
console.log('|---|---|---|---|---|---|---|');
for (const w of WORKLOADS) {
  const r = results[w.name];
  const best = Math.max(...['tfjs-cpu', 'tfjs-wasm'].map((runner) => r[runner].perSecond ?? 0));
  const ceiling = (ceilingGflops * 1e9) / flopPerSample(w);
  for (const [runner, label] of [
    ['kindling-page', 'Kindling, page with views'],
    ['kindling-engine', 'Kindling, engine (views off)'],
    ['tfjs-wasm', 'TF.js wasm (SIMD)'],
    ['tfjs-cpu', 'TF.js cpu'],
  ]) {
    if (r[runner].failed) {
      console.log(`| ${w.name} | ${label} | cannot train it: ${r[runner].failed} | – | – | – | – |`);
      continue;
    }
    const { perSecond, firstEpoch, longTasks, longestTask } = r[runner];
    const long = longTasks === undefined ? '–' : `${longTasks} (${Math.round(longestTask)} ms)`;
    console.log(
      `| ${w.name} | ${label} | ${round(perSecond)} | ${(perSecond / best).toFixed(2)}× | ` +
        `${((100 * perSecond) / ceiling).toFixed(1)}% of ${round(ceiling)} | ${ms(firstEpoch)} | ${long} |`,
    );
  }
}
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
console.log(
  `\nstart-up after navigation (median of ${startups.length} loads): editor usable ${ms(median(startups.map((s) => s.editor)))}, ` +
    `training ready ${ms(median(startups.map((s) => s.ready)))}`,
);
// The page's own files (what it needs before the editor is usable) and the engine's (its worker
// loads them, off the page's thread).
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const page = { raw: 0, brotli: 0 };
for (const name of (await readdir(dist)).filter((n) => n.endsWith('.wasm') || n.endsWith('.js'))) {
  const bytes = await readFile(join(dist, name));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const engine = name.startsWith('kindling-engine') || name === 'engine-worker.js';
  if (!engine) {
    page.raw += bytes.length;
    page.brotli += brotli.length;
  }
  console.log(
    `${name} (${engine ? 'the engine, in its worker' : 'the page'}): ${mb(bytes.length)} raw, ` +
      `${mb(gzipSync(bytes, { level: 9 }).length)} gzip, ${mb(brotli.length)} brotli`,
  );
}
console.log(`what the page needs before the editor is usable: ${mb(page.raw)} raw, ${mb(page.brotli)} brotli`);
