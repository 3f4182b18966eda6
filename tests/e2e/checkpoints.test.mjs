// End to end: EpochTracker's checkpoints into IndexedDB under the graph's id, restoring one —
// in the same tab after a reload, or a new tab showing the same graph — to go on to the very
// numbers of the run that never stopped; downloading the trained weights (burn's record
// format) and loading them back — into a matching graph, and refused with a reason by
// another; a full storage deletes copies of data files no graph names, then the oldest
// checkpoints of other graphs, saying which; the Stored panel lists every graph, checkpoint
// and data file kept, with Export and Delete.
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

/** Puts a copy of a data file straight into the page's IndexedDB (`web::csv_files`), as an
 * earlier visit would have: `size` random bytes named `name`, kept at `savedAt`. */
const seedDataFile = (page, name, size, savedAt) =>
  page.evaluate(
    ({ name, size, savedAt }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('kindling-data', 2);
        open.onupgradeneeded = () => {
          for (const store of ['csv-files', 'csv-index']) {
            if (!open.result.objectStoreNames.contains(store)) open.result.createObjectStore(store);
          }
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const database = open.result;
          const transaction = database.transaction(['csv-files', 'csv-index'], 'readwrite');
          // Random bytes: the browser compresses what it stores, and a copy must take its size.
          const bytes = new Uint8Array(size);
          for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
          const key = `${name.length}`.padStart(64, 'a');
          transaction.objectStore('csv-files').put({ name, bytes }, key);
          transaction.objectStore('csv-index').put({ name, size, savedAt }, key);
          transaction.oncomplete = () => {
            database.close();
            resolve(key);
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { name, size, savedAt },
  );

/** The keys of the data files kept in IndexedDB. */
const storedDataFiles = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('kindling-data');
        open.onupgradeneeded = () => open.transaction.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const request = open.result.transaction('csv-files').objectStore('csv-files').getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
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

test('when IndexedDB is full, a data file no graph names goes first, then the oldest checkpoints of other graphs, named; with none left, one warning and training goes on', async () => {
  const context = await launchPersistent(await mkdtemp(join(tmpdir(), 'kindling-profile-')));
  const cdp = await context.newCDPSession(await context.newPage());
  const quota = (bytes) => cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.server.url).origin, quotaSize: bytes });
  // Each graph's checkpoint is about 310 kB (38 018 weights and as many momentum values), and
  // the site has room for three and a bit. (Set once: Chromium keeps enforcing a raised quota
  // for a while after it is lowered again.)
  await quota(1_000_000);
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

  // A copy of a data file no saved graph names, from an earlier visit (320 kB): the site is
  // all but full.
  await seedDataFile(second.page, 'old-survey.csv', 320_000, 0);

  // A third graph's checkpoint does not fit: the unnamed data file makes room, and every
  // checkpoint stays.
  const third = await trainGraph(4, false);
  await waitForCheckpoint(third, 4);
  await third.waitForNotice('Browser storage was full');
  assert.equal(await third.byTestId('notice').getAttribute('data-kind'), 'warning');
  assert.match(await third.notice(), /to keep this checkpoint, deleted the copy of old-survey\.csv \(320\.0 kB\)\./);
  assert.deepEqual(await storedDataFiles(third.page), []);
  assert.deepEqual((await storedCheckpoints(third.page)).map((entry) => entry.epoch).sort(), [2, 3, 4]);

  // A fourth does not fit either: the oldest checkpoint of another graph (the first's) goes.
  const fourth = await trainGraph(5, false);
  await waitForCheckpoint(fourth, 5);
  await fourth.waitForNotice('Browser storage was full');
  assert.match(await fourth.notice(), /to keep this checkpoint, deleted the checkpoint of “.+, epoch 2” \(\d+\.\d kB\)/);
  assert.deepEqual((await storedCheckpoints(fourth.page)).map((entry) => entry.epoch).sort(), [3, 4, 5]);

  // Room for nothing: the others go, oldest first, and still nothing fits — one warning, and
  // the run ends as it would have.
  await quota(50_000);
  await fourth.setParam('EpochTracker', 'total_epochs', '6');
  await fourth.setParam('EpochTracker', 'save_interval', '1');
  await fourth.byTestId('train-button').click();
  assert.equal(await fourth.waitWhileTraining(), 'done');
  await fourth.waitForNotice('Checkpoint not saved');
  assert.match(await fourth.notice(), /Checkpoint not saved: browser storage is full/);
  assert.equal(await fourth.epochsDone(), 6);
  assert.deepEqual([...first.errors, ...second.errors, ...third.errors, ...fourth.errors], []);
  await context.close();
});

test('the Stored panel lists every graph, checkpoint and data file kept, with sizes; Export and Delete act on each', async () => {
  const context = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const first = await openPage(context, 3);
  await first.setParam('EpochTracker', 'save_interval', '3');
  await first.autosaved();
  await first.byTestId('train-button').click();
  assert.equal(await first.waitWhileTraining(), 'done');
  await waitForCheckpoint(first, 3);
  const fileKey = await seedDataFile(first.page, 'measurements.csv', 2_000, Date.now());
  // A second tab, its own graph once edited.
  const second = await openPage(context, 4);
  await second.autosaved();
  const page = second.page;

  await second.byTestId('stored-button').click();
  const panel = second.byTestId('stored-panel');
  await page.waitForFunction(() => document.querySelector('[data-testid="stored-panel"]')?.dataset.count === '4');
  assert.equal(await panel.locator('[data-stored="graph"]').count(), 2);
  assert.equal(await panel.locator('[data-stored="checkpoint"]').count(), 1);
  const data = panel.locator(`[data-stored="data"][data-key="${fileKey}"]`);
  assert.match(await data.textContent(), /measurements\.csv\s*2\.0 kB/);
  assert.match(await second.text('stored-usage'), /^Kindling keeps \d+\.\d kB here; the site uses .+ of the .+ the browser allows it\.$/);
  // The graph open in this tab cannot be deleted from here.
  const own = panel.locator('[data-stored="graph"]', { hasText: 'open here' });
  assert.equal(await own.locator('[data-testid="stored-delete"]').isDisabled(), true);

  // Export: the data file as it was picked, the checkpoint's weights as Load weights reads them.
  const [file] = await Promise.all([page.waitForEvent('download'), data.locator('[data-testid="stored-export"]').click()]);
  assert.equal(file.suggestedFilename(), 'measurements.csv');
  const checkpoint = panel.locator('[data-stored="checkpoint"]');
  const [weights] = await Promise.all([page.waitForEvent('download'), checkpoint.locator('[data-testid="stored-export"]').click()]);
  assert.equal(weights.suggestedFilename(), 'kindling-weights-epoch-3.bpk');

  // Delete: the other graph (its tab closed first: a tab open on a graph saves it again)
  // leaves Recent graphs; the data file leaves IndexedDB.
  await first.close();
  const recentBefore = await second.byTestId('recent-graphs').locator('option[data-id]').count();
  const other = panel.locator('[data-stored="graph"]', { hasNotText: 'open here' });
  await other.locator('[data-testid="stored-delete"]').click();
  await second.waitForNotice('Deleted the graph');
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="recent-graphs"] option[data-id]').length === count,
    recentBefore - 1,
  );
  await data.locator('[data-testid="stored-delete"]').click();
  await second.waitForNotice('Deleted the copy of measurements.csv');
  assert.deepEqual(await storedDataFiles(page), []);
  await page.waitForFunction(() => document.querySelector('[data-testid="stored-panel"]')?.dataset.count === '2');
  assert.deepEqual([...first.errors, ...second.errors], []);
  await context.close();
});
