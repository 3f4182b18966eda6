// End to end: EpochTracker's checkpoints into browser storage, restoring one, downloading the
// trained weights (burn's record format) and loading them back — into a matching graph, and
// refused with a reason by another; a full storage warns and training goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KindlingPage, epochsDone, setParam, text } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

const NETWORK = 3, TRACKER = 7;

async function openPage(context, epochs) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(env.server.url + '?backend=cpu');
  const kindling = new KindlingPage(page);
  await page.locator('[data-testid="backend"][data-ready="true"]').waitFor({ timeout: 30_000 });
  if (epochs) await setParam(page, TRACKER, 'total_epochs', String(epochs));
  return { page, kindling, errors };
}

test('checkpoints land in storage every save_interval epochs and one restores, paused, where it was', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, kindling, errors } = await openPage(context, 40);
  await setParam(page, TRACKER, 'save_interval', '7');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  // 40 epochs, a checkpoint every 7: the last one is epoch 35.
  const checkpoint = kindling.byTestId('checkpoint');
  assert.equal(await checkpoint.getAttribute('data-epoch'), '35');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('kindling.checkpoint')));
  assert.equal(stored.format, 'kindling-checkpoint');
  assert.equal(stored.epoch, 35);
  const trained = await kindling.value('train-accuracy');

  // A fresh page of the same browser profile finds it, and restores it paused at epoch 35.
  await page.close();
  const second = await openPage(context, 40);
  assert.equal(await second.kindling.byTestId('checkpoint').getAttribute('data-epoch'), '35');
  await second.kindling.byTestId('restore-checkpoint').click();
  await second.kindling.waitForStatus('paused');
  assert.match(await second.kindling.byTestId('notice').textContent(), /checkpoint of epoch 35/);
  assert.equal(await epochsDone(second.page), 35);
  // One more epoch from there already classifies like the trained network; fresh weights
  // would be near chance.
  await second.kindling.byTestId('step-epoch-button').click();
  await second.page.waitForFunction(() => document.querySelector('[data-testid="epoch"]').textContent.startsWith('36/'));
  const accuracy = await second.kindling.value('train-accuracy');
  assert.ok(accuracy >= Math.min(0.9, trained - 0.05), `accuracy after restoring: ${accuracy} (trained ${trained})`);
  assert.deepEqual([...errors, ...second.errors], []);
  await context.close();
});

test('trained weights download in burn\'s record format and load back into a matching graph only', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page, kindling, errors } = await openPage(context, 60);
  assert.ok(await kindling.byTestId('download-weights').isDisabled(), 'nothing to download before training');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const [download] = await Promise.all([page.waitForEvent('download'), kindling.byTestId('download-weights').click()]);
  assert.equal(download.suggestedFilename(), 'kindling-weights-epoch-60.bpk');
  const path = join(await mkdtemp(join(tmpdir(), 'kindling-')), download.suggestedFilename());
  await download.saveAs(path);
  const bytes = await readFile(path);
  assert.ok(bytes.length > 200, `${bytes.length} bytes`);

  // Into the same graph on a fresh page: paused at epoch 0 with the trained weights.
  const fresh = await openPage(context, 60);
  await fresh.kindling.byTestId('load-weights').setInputFiles(path);
  await fresh.kindling.waitForStatus('paused');
  assert.match(await fresh.kindling.byTestId('notice').textContent(), /Loaded the weights in kindling-weights-epoch-60\.bpk/);
  await fresh.kindling.byTestId('step-epoch-button').click();
  await fresh.page.waitForFunction(() => document.querySelector('[data-testid="epoch"]').textContent.startsWith('1/'));
  assert.ok((await fresh.kindling.value('train-accuracy')) >= 0.85, 'the first epoch starts from trained weights');

  // Into a graph with another network: refused, saying why; nothing starts.
  const other = await openPage(context, 60);
  await setParam(other.page, NETWORK, 'layers', 'Linear(32), ReLU, Linear(2)');
  await other.kindling.byTestId('load-weights').setInputFiles(path);
  const notice = other.kindling.byTestId('notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-kind'), 'error');
  assert.match(await notice.textContent(), /do not fit this graph's Network/);
  assert.equal(await other.kindling.status(), 'idle');

  // Not a weights file at all: refused too.
  await other.kindling.byTestId('load-weights').setInputFiles({ name: 'notes.bpk', mimeType: 'application/octet-stream', buffer: Buffer.from('hello') });
  await other.page.waitForFunction(() => /notes\.bpk/.test(document.querySelector('[data-testid="notice"]')?.textContent));
  assert.equal(await notice.getAttribute('data-kind'), 'error');
  assert.deepEqual([...errors, ...fresh.errors, ...other.errors], []);
  await context.close();
});

test('a full browser storage warns once and training goes on', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const { page, kindling, errors } = await openPage(context, 30);
  // Setting the epochs was an edit: its autosave fails first, once.
  await page.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent.startsWith('Autosave failed'));
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const notice = kindling.byTestId('notice');
  assert.equal(await notice.getAttribute('data-kind'), 'warning');
  assert.match(await notice.textContent(), /Checkpoint not saved: browser storage is full/);
  assert.equal(await kindling.byTestId('checkpoint').getAttribute('data-epoch'), '');
  assert.deepEqual(errors, []);
  await context.close();
});
