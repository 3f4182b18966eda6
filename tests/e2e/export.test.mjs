// End to end: the Export menu. The graph downloads as a PyTorch program and as a burn project
// (zips with the program, Kindling's data, initial weights and batch order), the run's
// metrics as CSV and the trained weights as safetensors (PyTorch's names), which give the
// exported train.py the validation loss the page showed; what the programs
// would do differently is listed before anything downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIEWPORT } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** Clicks an item of the Export menu and saves what it downloads; returns its name and path. */
async function exportItem(kindling, testId) {
  await kindling.byTestId('export-menu').click();
  const [download] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId(testId).click()]);
  const path = join(await mkdtemp(join(tmpdir(), 'kindling-export-')), download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), path };
}

/** The files of a zip, by name (Python's zipfile reads it: node has no zip reader). */
function zipFiles(path) {
  const script =
    'import json, sys, zipfile\n' +
    'z = zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps({n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { maxBuffer: 64 << 20 }).toString());
}

/** The header of a safetensors file: name → { dtype, shape, data_offsets }. */
async function safetensorsHeader(path) {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
}

test('the Export menu gives a PyTorch program, a burn project, the metrics and the trained weights', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const kindling = await env.open({ context, query: '?backend=cpu', epochs: 4 });

  await kindling.byTestId('export-menu').click();
  await kindling.byTestId('export-panel').waitFor();
  assert.equal(await kindling.byTestId('export-notes').getAttribute('data-count'), '0', 'the default graph exports exactly');
  assert.ok(await kindling.byTestId('export-metrics').isDisabled(), 'no metrics before training');
  assert.ok(await kindling.byTestId('export-safetensors').isDisabled(), 'no weights before training');
  await kindling.byTestId('export-menu').click();
  assert.equal(await kindling.byTestId('export-panel').count(), 0, 'the button closes the menu');

  const pytorch = await exportItem(kindling, 'export-pytorch');
  assert.match(pytorch.name, /^kindling-[a-z0-9-]+-pytorch\.zip$/);
  const folder = pytorch.name.replace(/\.zip$/, '');
  const files = zipFiles(pytorch.path);
  assert.deepEqual(
    Object.keys(files).sort(),
    ['README.md', 'batch_order.csv', 'data.csv', 'graph.json', 'initial_weights.safetensors', 'train.py'].map((f) => `${folder}/${f}`),
  );
  const program = files[`${folder}/train.py`];
  assert.match(program, /class Network\(nn\.Module\)/);
  assert.match(program, /nn\.Linear\(2, 16\)/);
  assert.match(program, /DistributedDataParallel/);
  assert.equal(files[`${folder}/data.csv`].trim().split('\n').length, 1001, 'a header and the 1000 samples');
  assert.equal(files[`${folder}/batch_order.csv`].trim().split('\n').length, 4, 'an order per epoch');

  const burn = await exportItem(kindling, 'export-burn');
  assert.match(burn.name, /-burn\.zip$/);
  const project = zipFiles(burn.path);
  const root = burn.name.replace(/\.zip$/, '');
  assert.match(project[`${root}/Cargo.toml`], /burn = \{ version = "=0\.22\.1"/);
  assert.match(project[`${root}/src/graph.rs`], /LayerSpec::Linear \{ in_features: 2, out_features: 16 \}/);
  assert.ok(project[`${root}/src/main.rs`].includes('fn main()'));

  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const metrics = await exportItem(kindling, 'export-metrics');
  const rows = (await readFile(metrics.path, 'utf8')).trim().split('\n');
  assert.equal(rows[0], 'run,epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,precision,recall,f1,roc_auc');
  assert.deepEqual(rows.slice(1).map((row) => row.split(',').slice(0, 2).join(',')), ['current,1', 'current,2', 'current,3', 'current,4']);
  const lastLoss = Number(rows[4].split(',')[2]);
  assert.ok(Math.abs(lastLoss - (await kindling.value('train-loss'))) < 1e-3, `the CSV's last loss ${lastLoss} is the page's`);

  const weights = await exportItem(kindling, 'export-safetensors');
  assert.equal(weights.name, 'kindling-weights-epoch-4.safetensors');
  const header = await safetensorsHeader(weights.path);
  assert.deepEqual(header['layers.0.weight'].shape, [16, 2], "PyTorch's [out, in]");
  assert.equal(header['layers.0.weight'].dtype, 'F32');
  assert.deepEqual(Object.keys(header).filter((name) => name !== '__metadata__').sort(), [
    'layers.0.bias', 'layers.0.weight', 'layers.2.bias', 'layers.2.weight', 'layers.4.bias', 'layers.4.weight',
  ]);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('the Export menu lists what the programs would do differently, and refuses a graph that cannot train', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  const kindling = await env.open({ context, query: '?backend=cpu' });
  await kindling.setParam('Network', 'layers', 'Linear(16), ReLU, Dropout(0.2), Linear(2)');
  await kindling.byTestId('export-menu').click();
  const notes = kindling.byTestId('export-notes');
  assert.equal(await notes.getAttribute('data-count'), '1');
  assert.match(await notes.textContent(), /Network #\d+: Dropout draws its masks/);
  await kindling.byTestId('export-menu').click();

  await kindling.setParam('Network', 'layers', 'Linear(16), ReLU, Linear(3)');
  await kindling.byTestId('export-menu').click();
  assert.equal(await notes.getAttribute('data-count'), 'error');
  assert.match(await notes.textContent(), /No program yet: the graph cannot train/);
  assert.ok(await kindling.byTestId('export-pytorch').isDisabled());
  assert.ok(await kindling.byTestId('export-burn').isDisabled());
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('weights downloaded after training give the exported PyTorch program the validation loss the page showed', async () => {
  const python = process.env.KINDLING_PYTHON;
  assert.ok(python, 'KINDLING_PYTHON must name a Python with torch (cargo xtask test sets it up)');
  const context = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const kindling = await env.open({ context, query: '?backend=cpu' });
  await kindling.byTestId('templates').selectOption('with_validation');
  await kindling.setParam('EpochTracker', 'total_epochs', '5');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const shown = await kindling.value('val-loss');

  const weights = await exportItem(kindling, 'export-safetensors');
  const program = await exportItem(kindling, 'export-pytorch');
  const dir = await mkdtemp(join(tmpdir(), 'kindling-program-'));
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', program.path, dir]);
  const trainPy = join(dir, program.name.replace(/\.zip$/, ''), 'train.py');
  const output = execFileSync(python, [trainPy, '--weights', weights.path, '--evaluate'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const evaluated = JSON.parse(output.toString().trim());
  assert.ok(Math.abs(evaluated.val_loss - shown) <= 1e-4 * shown, `the page showed ${shown}, PyTorch computes ${evaluated.val_loss}`);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});
