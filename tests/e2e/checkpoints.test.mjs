// End to end: EpochTracker's checkpoints into IndexedDB under the graph's id, restoring one —
// in the same tab after a reload, or a new tab showing the same graph — to go on to the very
// numbers of the run that never stopped; downloading the trained weights (burn's record
// format) and loading them back — into a matching graph, and refused with a reason by
// another; a full storage drops the oldest checkpoints of other graphs, saying which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIEWPORT, launchPersistent } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** The page in `context`, on the CPU, warmed up, the default graph set to `epochs` epochs. */
const openPage = (context, epochs) => env.open({ context, query: '?backend=cpu', epochs });

/** What the checkpoint index in IndexedDB holds (without creating the database). */
const storedCheckpoints = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('kindling');
        open.onupgradeneeded = () => open.transaction.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const database = open.result;
          const request = database.transaction('checkpoint-index').objectStore('checkpoint-index').getAll();
          request.onsuccess = () => {
            database.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );

/** Waits until the checkpoint pill shows `epoch` ('' for none). */
const waitForCheckpoint = (kindling, epoch) =>
  kindling.page.waitForFunction(
    (epoch) => document.querySelector('[data-testid="checkpoint"]')?.dataset.epoch === epoch,
    String(epoch),
  );

/** The current run's rows of the metrics CSV (Export menu), by epoch. */
async function metricRows(kindling) {
  await kindling.byTestId('export-menu').click();
  const [download] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId('export-metrics').click()]);
  const path = join(await mkdtemp(join(tmpdir(), 'kindling-metrics-')), download.suggestedFilename());
  await download.saveAs(path);
  const rows = (await readFile(path, 'utf8')).trim().split('\n').slice(1).map((row) => row.split(','));
  return new Map(rows.filter((row) => row[0] === 'current').map((row) => [Number(row[1]), row.slice(2).join(',')]));
}

test('checkpoints land in IndexedDB under the graph every save_interval epochs; a reload or a new tab restores one, paused', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  const kindling = await openPage(context, 40);
  await kindling.setParam('EpochTracker', 'save_interval', '7');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  // 40 epochs, a checkpoint every 7: the last one is epoch 35.
  await waitForCheckpoint(kindling, 35);
  const graph = await kindling.page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  const stored = await storedCheckpoints(kindling.page);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].graph, graph, "keyed by the graph's id");
  assert.equal(stored[0].epoch, 35);
  assert.ok(stored[0].size > 1000, `${stored[0].size} bytes: weights and the optimizer's state`);
  assert.equal(await kindling.page.evaluate(() => localStorage.getItem('kindling.checkpoint')), null, "autosave's room stays free");
  const trained = await kindling.value('train-accuracy');

  // The same tab, reloaded, shows the same graph and its checkpoint.
  await kindling.page.reload();
  await kindling.waitForReady();
  await waitForCheckpoint(kindling, 35);

  // A new tab shows a copy of the latest graph, and so the checkpoint; it restores, paused at 35.
  const second = await env.open({ context, query: '?backend=cpu' });
  await waitForCheckpoint(second, 35);
  await second.byTestId('restore-checkpoint').click();
  await second.waitForStatus('paused');
  assert.match(await second.notice(), /checkpoint of epoch 35.*goes on exactly where it stood/);
  assert.equal(await second.epochsDone(), 35);
  // One more epoch from there already classifies like the trained network; fresh weights
  // would be near chance.
  await second.byTestId('step-epoch-button').click();
  await second.page.waitForFunction(() => document.querySelector('[data-testid="epoch"]').textContent.startsWith('36/'));
  const accuracy = await second.value('train-accuracy');
  assert.ok(accuracy >= Math.min(0.9, trained - 0.05), `accuracy after restoring: ${accuracy} (trained ${trained})`);

  // Another graph (a template) has no checkpoint of its own; the stored one stays.
  await second.byTestId('templates').selectOption('digits');
  await waitForCheckpoint(second, '');
  assert.ok(await second.byTestId('restore-checkpoint').isDisabled());
  assert.equal((await storedCheckpoints(second.page)).length, 1);
  assert.deepEqual([...kindling.errors, ...second.errors], []);
  await context.close();
});

test('a restored checkpoint trains on to the very numbers of the run that never stopped', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const kindling = await openPage(context, 12);
  await kindling.setParam('EpochTracker', 'save_interval', '8');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await waitForCheckpoint(kindling, 8);
  const straight = await metricRows(kindling);
  assert.equal(straight.size, 12);

  // Reloaded, the tab restores epoch 8 and trains epochs 9–12 again: momentum's buffers and
  // the shuffled batch order came along, so every number is the same.
  await kindling.page.reload();
  await kindling.waitForReady();
  await waitForCheckpoint(kindling, 8);
  await kindling.byTestId('restore-checkpoint').click();
  await kindling.waitForStatus('paused');
  await kindling.byTestId('resume-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const resumed = await metricRows(kindling);
  assert.deepEqual([...resumed.keys()], [9, 10, 11, 12]);
  for (const [epoch, row] of resumed) assert.equal(row, straight.get(epoch), `epoch ${epoch}: loss, accuracy, lr`);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test("a first release's checkpoint in localStorage moves to IndexedDB, and restores as weights alone, said", async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  const legacy = await readFile(new URL('../fixtures/release-0.1/checkpoint.json', import.meta.url), 'utf8');
  await context.addInitScript((text) => {
    if (!sessionStorage.getItem('planted')) {
      sessionStorage.setItem('planted', '1');
      localStorage.setItem('kindling.checkpoint', text);
    }
  }, legacy);
  const kindling = await env.open({ context, query: '?backend=cpu' });
  await waitForCheckpoint(kindling, 3);
  assert.equal(await kindling.page.evaluate(() => localStorage.getItem('kindling.checkpoint')), null, 'moved, not copied');
  const graph = await kindling.page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  assert.deepEqual((await storedCheckpoints(kindling.page)).map((entry) => [entry.graph, entry.epoch]), [[graph, 3]]);
  await kindling.byTestId('restore-checkpoint').click();
  await kindling.waitForStatus('paused');
  assert.match(await kindling.notice(), /checkpoint of epoch 3 .*weights alone \(an earlier Kindling's\)/);
  assert.equal(await kindling.epochsDone(), 3);
  assert.deepEqual(kindling.errors, []);
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

test('a full localStorage stops autosave, said once; checkpoints still land in IndexedDB and training goes on', async () => {
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
  await waitForCheckpoint(kindling, 30);
  assert.equal((await storedCheckpoints(kindling.page))[0].epoch, 30);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('when IndexedDB is full, the oldest checkpoints of other graphs make room, named; with none left, one warning and training goes on', async () => {
  const context = await launchPersistent(await mkdtemp(join(tmpdir(), 'kindling-profile-')));
  const cdp = await context.newCDPSession(await context.newPage());
  const quota = (bytes) => cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.server.url).origin, quotaSize: bytes });
  // Each graph's checkpoint is about 310 kB (38 018 weights and as many momentum values), and
  // the site has room for two.
  await quota(800_000);
  const trainGraph = async (epochs, first) => {
    const kindling = await env.open({ context, query: '?backend=cpu' });
    if (first) await kindling.setParam('Network', 'layers', 'Linear(192), ReLU, Linear(192), ReLU, Linear(2)');
    // An edit: the tab's own graph from now on (a new id), with a checkpoint at its last epoch.
    await kindling.setParam('EpochTracker', 'total_epochs', String(epochs));
    await kindling.setParam('EpochTracker', 'save_interval', String(epochs));
    await kindling.autosaved();
    await kindling.byTestId('train-button').click();
    assert.equal(await kindling.waitWhileTraining(), 'done');
    return kindling;
  };
  const first = await trainGraph(2, true);
  await waitForCheckpoint(first, 2);
  const second = await trainGraph(3, false);
  await waitForCheckpoint(second, 3);
  assert.deepEqual((await storedCheckpoints(second.page)).map((entry) => entry.epoch).sort(), [2, 3]);

  // A third graph's checkpoint does not fit: the oldest (the first graph's) makes room.
  const third = await trainGraph(4, false);
  await waitForCheckpoint(third, 4);
  await third.waitForNotice('dropped the oldest checkpoint');
  assert.equal(await third.byTestId('notice').getAttribute('data-kind'), 'warning');
  assert.match(await third.notice(), /Browser storage was full: to keep this checkpoint, dropped the oldest checkpoint of other graphs: “.+” \(epoch 2\)\./);
  assert.deepEqual((await storedCheckpoints(third.page)).map((entry) => entry.epoch).sort(), [3, 4]);

  // Room for nothing: the others go, oldest first, and still nothing fits — one warning, and
  // the run ends as it would have.
  await quota(50_000);
  await third.setParam('EpochTracker', 'total_epochs', '5');
  await third.setParam('EpochTracker', 'save_interval', '1');
  await third.byTestId('train-button').click();
  assert.equal(await third.waitWhileTraining(), 'done');
  await third.waitForNotice('Checkpoint not saved');
  assert.match(await third.notice(), /Checkpoint not saved: browser storage is full/);
  assert.equal(await third.epochsDone(), 5);
  assert.deepEqual([...first.errors, ...second.errors, ...third.errors], []);
  await context.close();
});
