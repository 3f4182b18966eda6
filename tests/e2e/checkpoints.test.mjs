// End to end: EpochTracker's checkpoints into browser storage, restoring one, downloading the
// trained weights (burn's record format) and loading them back — into a matching graph, and
// refused with a reason by another; a full storage warns and training goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIEWPORT } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** The page in `context`, on the CPU, warmed up, the default graph set to `epochs` epochs. */
const openPage = (context, epochs) => env.open({ context, query: '?backend=cpu', epochs });

test('checkpoints land in storage every save_interval epochs and one restores, paused, where it was', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  const kindling = await openPage(context, 40);
  await kindling.setParam('EpochTracker', 'save_interval', '7');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  // 40 epochs, a checkpoint every 7: the last one is epoch 35.
  const checkpoint = kindling.byTestId('checkpoint');
  assert.equal(await checkpoint.getAttribute('data-epoch'), '35');
  const stored = JSON.parse(await kindling.page.evaluate(() => localStorage.getItem('kindling.checkpoint')));
  assert.equal(stored.format, 'kindling-checkpoint');
  assert.equal(stored.epoch, 35);
  const trained = await kindling.value('train-accuracy');

  // A fresh page of the same browser profile finds it, and restores it paused at epoch 35.
  await kindling.close();
  const second = await openPage(context, 40);
  assert.equal(await second.byTestId('checkpoint').getAttribute('data-epoch'), '35');
  await second.byTestId('restore-checkpoint').click();
  await second.waitForStatus('paused');
  assert.match(await second.notice(), /checkpoint of epoch 35/);
  assert.equal(await second.epochsDone(), 35);
  // One more epoch from there already classifies like the trained network; fresh weights
  // would be near chance.
  await second.byTestId('step-epoch-button').click();
  await second.page.waitForFunction(() => document.querySelector('[data-testid="epoch"]').textContent.startsWith('36/'));
  const accuracy = await second.value('train-accuracy');
  assert.ok(accuracy >= Math.min(0.9, trained - 0.05), `accuracy after restoring: ${accuracy} (trained ${trained})`);
  assert.deepEqual([...kindling.errors, ...second.errors], []);
  await context.close();
});

test('trained weights download in burn\'s record format and load back into a matching graph only', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const kindling = await openPage(context, 60);
  assert.ok(await kindling.byTestId('download-weights').isDisabled(), 'nothing to download before training');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const [download] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId('download-weights').click()]);
  assert.equal(download.suggestedFilename(), 'kindling-weights-epoch-60.bpk');
  const path = join(await mkdtemp(join(tmpdir(), 'kindling-')), download.suggestedFilename());
  await download.saveAs(path);
  const bytes = await readFile(path);
  assert.ok(bytes.length > 200, `${bytes.length} bytes`);

  // Into the same graph on a fresh page: paused at epoch 0 with the trained weights.
  const fresh = await openPage(context, 60);
  await fresh.byTestId('load-weights').setInputFiles(path);
  await fresh.waitForStatus('paused');
  assert.match(await fresh.notice(), /Loaded the weights in kindling-weights-epoch-60\.bpk/);
  await fresh.byTestId('step-epoch-button').click();
  await fresh.page.waitForFunction(() => document.querySelector('[data-testid="epoch"]').textContent.startsWith('1/'));
  assert.ok((await fresh.value('train-accuracy')) >= 0.85, 'the first epoch starts from trained weights');

  // Hostile weights files for this graph's network (tests/weights/hostile/): each refused with
  // its reason; nothing starts.
  for (const [file, reason] of [['integer.bpk', /holds I32 values; only float32 weights load/], ['nan.bpk', /not a finite number/], ['f16.bpk', /holds F16 values/]]) {
    const hostile = await openPage(context, 60);
    await hostile.byTestId('load-weights').setInputFiles(new URL(`../weights/hostile/${file}`, import.meta.url).pathname);
    await hostile.waitForNotice(file);
    assert.equal(await hostile.byTestId('notice').getAttribute('data-kind'), 'error');
    assert.match(await hostile.notice(), reason);
    assert.equal(await hostile.status(), 'idle');
    assert.deepEqual(hostile.errors, []);
    await hostile.page.close();
  }

  // Into a graph with another network: refused, saying why; nothing starts.
  const other = await openPage(context, 60);
  await other.setParam('Network', 'layers', 'Linear(32), ReLU, Linear(2)');
  await other.byTestId('load-weights').setInputFiles(path);
  const notice = other.byTestId('notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-kind'), 'error');
  assert.match(await notice.textContent(), /do not fit this graph's Network/);
  assert.equal(await other.status(), 'idle');

  // Not a weights file at all: refused too.
  await other.byTestId('load-weights').setInputFiles({ name: 'notes.bpk', mimeType: 'application/octet-stream', buffer: Buffer.from('hello') });
  await other.waitForNotice('notes.bpk');
  assert.equal(await notice.getAttribute('data-kind'), 'error');
  assert.deepEqual([...kindling.errors, ...fresh.errors, ...other.errors], []);
  await context.close();
});

test('a full browser storage warns once and training goes on', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const kindling = await openPage(context, 30);
  // Setting the epochs was an edit: its autosave fails first, once.
  await kindling.autosaved('failed');
  assert.match(await kindling.notice(), /^Autosave failed/);
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const notice = kindling.byTestId('notice');
  assert.equal(await notice.getAttribute('data-kind'), 'warning');
  assert.match(await notice.textContent(), /Checkpoint not saved: browser storage is full/);
  assert.equal(await kindling.byTestId('checkpoint').getAttribute('data-epoch'), '');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});
