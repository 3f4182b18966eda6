// End to end: share links, autosave, recent graphs, two tabs, storage that fails, hostile
// links, and graph files (export, import by button and by drop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { VIEWPORT } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

const corpus = JSON.parse(await readFile(new URL('../links/hostile.json', import.meta.url), 'utf8'));

/** A fresh browser context (its own storage), at the tests' page size. */
const newContext = (options = {}) => env.browser.newContext({ viewport: VIEWPORT, ...options });

/** Reloads the page and waits until it is ready to train again. */
async function reload(kindling) {
  await kindling.page.reload();
  await kindling.waitForReady();
}

/** This tab's saved-graph id. */
const tabId = (kindling) => kindling.page.evaluate(() => sessionStorage.getItem('kindling.tab'));

/** The graph as Export JSON downloads it, parsed. */
async function exported(kindling) {
  const [download] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId('export-json').click()]);
  assert.equal(download.suggestedFilename(), 'kindling-graph.json');
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** Trains the graph (one epoch, as set) and returns its first epoch's training loss. */
async function firstEpochLoss(kindling) {
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  return kindling.value('train-loss');
}

test('a shared link opens the same experiment in a fresh browser, and trains to the same first-epoch loss', async () => {
  const sender = await newContext({ acceptDownloads: true });
  const kindling = await env.open({ context: sender });
  await kindling.byTestId('share-button').click();
  const untouched = await kindling.byTestId('share-link').inputValue();
  assert.ok(untouched.length < 400, `the default graph's link has ${untouched.length} characters`);
  assert.ok(untouched.startsWith(`${env.server.url}#g=`), `an absolute link under the sub-path: ${untouched}`);

  await kindling.setParam('EpochTracker', 'total_epochs', '1');
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.07');
  await kindling.setParam('Dataset', 'seed', '42');
  const canvas = await kindling.byTestId('canvas').boundingBox();
  await kindling.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await kindling.page.mouse.wheel(0, -200); // the view travels too
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  assert.notEqual(link, untouched);
  assert.match(await kindling.notice(), /Link copied|copy it from the box/);
  const sent = await exported(kindling);
  const loss = await firstEpochLoss(kindling);

  const receiver = await newContext({ acceptDownloads: true });
  const opened = await env.open({ context: receiver, url: link });
  assert.match(await opened.notice(), /Opened the shared graph/);
  assert.equal(new URL(opened.page.url()).hash, '', 'the link is taken out of the address bar once opened');
  assert.deepEqual(await exported(opened), sent, 'the same graph, parameters, positions and view');
  assert.equal(await firstEpochLoss(opened), loss);
  // Reloading shows the shared graph again, now saved in this browser.
  await reload(opened);
  assert.equal(await opened.param('SGDOptimizer', 'learning_rate'), '0.07');
  assert.deepEqual([...kindling.errors, ...opened.errors], []);
  await sender.close();
  await receiver.close();
});

test('the graph autosaves and comes back on reload; a shared link keeps local work under Recent graphs', async () => {
  const context = await newContext();
  const kindling = await env.open({ context });
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.33');
  await kindling.autosaved();
  await reload(kindling);
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.33');
  // Reloading at once, before the autosave delay: the page saves as it is hidden.
  const entry = () => kindling.page.evaluate(() => localStorage.getItem(`kindling.graph.${sessionStorage.getItem('kindling.tab')}`));
  const before = await entry();
  await kindling.setParam('SGDOptimizer', 'momentum', '0.6');
  assert.equal(await entry(), before, 'not saved yet: autosave waits 0.4 s');
  await reload(kindling);
  assert.equal(await kindling.param('SGDOptimizer', 'momentum'), '0.6');

  // A link to a graph with another learning rate, opened in the same tab.
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.01');
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.44');
  await kindling.autosaved();
  // Only the fragment differs, so the page stays and hears the change (as when a link is
  // pasted into the address bar of an open tab).
  await kindling.page.goto(link);
  await kindling.waitForNotice('Opened the shared graph');
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.01');
  assert.match(await kindling.notice(), /kept under Recent graphs/);
  // The graph from before is one pick away.
  const recent = kindling.byTestId('recent-graphs');
  const ids = await recent.locator('option[data-id]').evaluateAll((options) => options.map((o) => o.value));
  assert.equal(ids.length, 2, 'the local graph and the shared one');
  const current = await tabId(kindling);
  await recent.selectOption(ids.find((id) => id !== current));
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.44');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('a panic saves the graph first, then a banner says Kindling hit a bug, with the message to report', async () => {
  const context = await newContext();
  const kindling = await env.open({ context });
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.27');
  // At once, before autosave's delay is over: the panic hook saves the graph itself.
  await kindling.page.evaluate(() => {
    try {
      window.wasmBindings.kindling_panic_for_tests();
    } catch {
      // The module ends with the panic; the banner is what the user sees.
    }
  });
  const banner = kindling.byTestId('crash-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-saved'), 'true');
  assert.match(await banner.textContent(), /Kindling hit a bug and stopped\..*is saved in this browser.*report it/s);
  assert.match(await kindling.byTestId('crash-message').inputValue(), /a panic asked for by the end-to-end test/);
  await kindling.page.reload();
  await kindling.waitForReady();
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.27', 'nothing but the run is lost');
  assert.equal(await kindling.byTestId('crash-banner').count(), 0);
  await context.close();
});

test('two tabs editing different graphs never erase each other', async () => {
  const context = await newContext();
  const first = await env.open({ context });
  await first.setParam('SGDOptimizer', 'learning_rate', '0.11');
  await first.autosaved();
  const second = await env.open({ context });
  // A new tab starts from the latest graph, as a copy of its own.
  assert.equal(await second.param('SGDOptimizer', 'learning_rate'), '0.11');
  await second.setParam('SGDOptimizer', 'learning_rate', '0.22');
  await second.autosaved();
  await first.page.bringToFront();
  await first.setParam('SGDOptimizer', 'momentum', '0.5');
  await first.autosaved();
  for (const tab of [first, second]) {
    // A background tab gets no animation frames, which the page's start-up waits for.
    await tab.page.bringToFront();
    await reload(tab);
  }
  assert.equal(await first.param('SGDOptimizer', 'learning_rate'), '0.11');
  assert.equal(await first.param('SGDOptimizer', 'momentum'), '0.5');
  assert.equal(await second.param('SGDOptimizer', 'learning_rate'), '0.22');
  assert.equal(await second.param('SGDOptimizer', 'momentum'), '0.9');
  assert.equal(await second.byTestId('recent-graphs').locator('option[data-id]').count(), 2);

  // The second tab picks the first tab's graph from Recent graphs and edits it: the first tab
  // hears that save and moves to a copy of its own, so neither erases the other.
  const firstId = await tabId(first);
  await second.page.bringToFront();
  await second.byTestId('recent-graphs').selectOption(firstId);
  await second.setParam('SGDOptimizer', 'learning_rate', '0.3');
  await second.autosaved();
  // A background tab gets no animation frames: poll on a timer.
  await first.waitForNotice('also open in another tab', { polling: 100 });
  assert.notEqual(await tabId(first), firstId);
  assert.equal(await second.byTestId('recent-graphs').locator('option[data-id]').count(), 3);
  await first.page.bringToFront();
  await reload(first);
  assert.equal(await first.param('SGDOptimizer', 'learning_rate'), '0.11');
  assert.equal(await first.param('SGDOptimizer', 'momentum'), '0.5');
  assert.deepEqual([...first.errors, ...second.errors], []);
  await context.close();
});

test('hostile links each say what is wrong, change nothing, and inject nothing', async () => {
  const context = await newContext();
  const kindling = await env.open({ context });
  const page = kindling.page;
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.05');
  await kindling.autosaved();
  for (const [index, { what, link, message }] of corpus.entries()) {
    // A query that differs each time makes each a fresh page load.
    await page.goto(`${env.server.url}?case=${index}#g=${link}`);
    await kindling.waitForReady();
    const shown = await kindling.notice();
    assert.match(shown, /This link cannot be opened/, what);
    assert.ok(shown.includes(message), `${what}: "${message}" not in "${shown}"`);
    assert.equal(await kindling.byTestId('notice').getAttribute('data-kind'), 'error', what);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${what}: markup ran`);
    assert.equal(await page.locator('img[src="x"]').count(), 0, `${what}: markup was inserted`);
    // The editor is usable, with the graph it had.
    assert.equal(await kindling.nodeCount(), 8, what);
    assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.05', what);
  }
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.06');
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.06');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('storage hides nothing: a load that did not finish, newer entries, templates over saved work, pruning', async () => {
  const context = await newContext({ acceptDownloads: true });
  const kindling = await env.open({ context });
  const page = kindling.page;
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.29');
  await kindling.autosaved();
  const id = await tabId(kindling);

  // The previous load of this tab did not finish (as when a graph crashes the page): the
  // next one starts from the default graph and keeps the graph aside, to export or delete.
  await page.evaluate(() => sessionStorage.setItem('kindling.loading', '1'));
  await reload(kindling);
  assert.match(await kindling.notice(), /The last load of this tab did not finish, so Kindling started with the default graph\. Kept aside \(in the top bar\): the graph this tab had open, to export or delete/);
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.03');
  assert.equal(await page.evaluate((id) => localStorage.getItem(`kindling.graph.${id}`), id), null);
  const aside = kindling.byTestId('kept-aside');
  assert.equal(await aside.getAttribute('data-count'), '1');
  await aside.click();
  const row = kindling.byTestId('aside-panel').locator(`[data-aside-id="${id}"]`);
  assert.match(await row.textContent(), /spiral · Linear\(16\), ReLU, Linear\(16\), ReLU, Linear\(2\)/);
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('[data-testid="aside-export"]').click()]);
  const entry = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(entry.title, 'spiral · Linear(16), ReLU, Linear(16), ReLU, Linear(2)');
  assert.match(entry.experiment, /^A/, 'the entry as stored: link text of version 1');
  await row.locator('[data-testid="aside-delete"]').click();
  await kindling.waitForNotice('Deleted the entry kept aside');
  assert.equal(await aside.count(), 0, 'nothing left aside: the button goes');

  // A template over a saved graph: the graph replaced stays under Recent graphs.
  const recentCount = () => kindling.byTestId('recent-graphs').locator('option[data-id]').count();
  const before = await recentCount();
  await kindling.byTestId('templates').selectOption('digits');
  await kindling.autosaved();
  assert.equal(await recentCount(), before + 1);

  // An entry from a newer Kindling is left where it is, and said so once.
  await page.evaluate(() => localStorage.setItem('kindling.graph.future', JSON.stringify({ saved_at: 1, title: 'future', experiment: 'BA' })));
  await reload(kindling);
  assert.match(await kindling.notice(), /made by a newer Kindling; they are left as they are/);
  assert.ok(await page.evaluate(() => localStorage.getItem('kindling.graph.future')), 'left in place');
  assert.equal(await page.evaluate(() => localStorage.getItem('kindling.unreadable.future')), null);

  // Past the recent limit, pruning says what it removed.
  await page.evaluate(() => {
    const own = localStorage.getItem(`kindling.graph.${sessionStorage.getItem('kindling.tab')}`);
    for (let index = 0; index < 31; index += 1) {
      localStorage.setItem(`kindling.graph.old-${index}`, JSON.stringify({ ...JSON.parse(own), saved_at: 1000 + index, title: `old ${index}` }));
    }
  });
  await reload(kindling);
  await kindling.setParam('EpochTracker', 'total_epochs', '31');
  await kindling.waitForNotice('Recent graphs keeps the 30 newest');
  assert.match(await kindling.notice(), /“old 0”.*|moved to Kept aside/);
  // Pruned, not deleted: kept aside, to export or delete.
  assert.ok(await page.evaluate(() => localStorage.getItem('kindling.unreadable.old-0')), 'old 0 is kept aside');
  assert.ok(Number(await kindling.byTestId('kept-aside').getAttribute('data-count')) >= 1);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('storage that is full, unavailable or unreadable gives a message and a working editor', async () => {
  // Unreadable: an entry no version of Kindling can read is moved aside, not deleted.
  const context = await newContext();
  const kindling = await env.open({ context });
  await kindling.page.evaluate(() => localStorage.setItem('kindling.graph.old', '{"saved_at": 1, "title": "x", "experime'));
  await reload(kindling);
  assert.match(await kindling.notice(), /could not be read.*kindling\.unreadable\.old/);
  assert.equal(
    await kindling.page.evaluate(() => localStorage.getItem('kindling.unreadable.old')),
    '{"saved_at": 1, "title": "x", "experime',
  );
  assert.equal(await kindling.page.evaluate(() => localStorage.getItem('kindling.graph.old')), null);
  assert.equal(await kindling.nodeCount(), 8);
  await context.close();

  // Full: every write fails with the quota error.
  const full = await newContext();
  const onFull = await env.open({
    context: full,
    init: () => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (this === window.localStorage && key.startsWith('kindling.graph.')) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return setItem.call(this, key, value);
      };
    },
  });
  await onFull.setParam('SGDOptimizer', 'learning_rate', '0.12');
  await onFull.autosaved('failed');
  assert.match(await onFull.notice(), /Autosave failed: browser storage is full/);
  assert.equal(await onFull.param('SGDOptimizer', 'learning_rate'), '0.12', 'the edit stays');
  await full.close();

  // Unavailable (private mode, or blocked): reading localStorage throws.
  const blocked = await newContext();
  const onBlocked = await env.open({
    context: blocked,
    init: () => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
    },
  });
  assert.match(await onBlocked.notice(), /Autosave is off: browser storage is not available/);
  assert.equal(await onBlocked.byTestId('document-bar').getAttribute('data-autosave'), 'off');
  await onBlocked.setParam('SGDOptimizer', 'learning_rate', '0.13');
  assert.equal(await onBlocked.param('SGDOptimizer', 'learning_rate'), '0.13');
  await onBlocked.byTestId('share-button').click();
  assert.match(await onBlocked.byTestId('share-link').inputValue(), /#g=/, 'sharing still works');
  assert.deepEqual([...kindling.errors, ...onFull.errors, ...onBlocked.errors], []);
  await blocked.close();
});

test('a graph exports as readable JSON and imports back, by button and by drop; a bad file says why', async () => {
  const context = await newContext({ acceptDownloads: true });
  const kindling = await env.open({ context });
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.25');
  const file = await exported(kindling);
  assert.equal(file.format, 'kindling-experiment');
  assert.equal(file.version, 1);
  assert.equal(file.graph.nodes.find((node) => node.kind === 'SGDOptimizer').params.learning_rate, 0.25);
  const json = JSON.stringify(file, null, 2);

  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.5');
  await kindling.byTestId('import-json').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await kindling.waitForNotice('Imported mine.json');
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.25');
  // Undo brings back the graph from before the import.
  await kindling.byTestId('undo').click();
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.5');

  // Dropped onto the canvas.
  await kindling.page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    const canvas = document.querySelector('[data-testid="canvas"]');
    canvas.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, json);
  await kindling.waitForNotice('Imported dropped.json');
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.25');

  // A file from a later Kindling, and one that is not JSON: refused with a reason, nothing changes.
  const later = JSON.stringify({ ...file, version: 9 });
  await kindling.byTestId('import-json').setInputFiles({ name: 'later.json', mimeType: 'application/json', buffer: Buffer.from(later) });
  await kindling.waitForNotice('later.json cannot be imported');
  assert.match(await kindling.notice(), /newer Kindling/);
  await kindling.byTestId('import-json').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('<b>not json') });
  await kindling.waitForNotice('notes.json cannot be imported');
  assert.equal(await kindling.nodeCount(), 8);
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.25');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('links opened in quick succession open once each, reuse their entries, and lose nothing of the user', async () => {
  const context = await newContext();
  const kindling = await env.open({ context });
  const page = kindling.page;
  const links = [];
  for (const epochs of ['2', '3', '4']) {
    await kindling.setParam('EpochTracker', 'total_epochs', epochs);
    await kindling.byTestId('share-button').click();
    await page.waitForFunction((previous) => {
      const value = document.querySelector('[data-testid="share-link"]')?.value ?? '';
      return value.includes('#g=') && !previous.includes(value);
    }, links);
    links.push(await kindling.byTestId('share-link').inputValue());
  }
  // The user's own graph, saved.
  await kindling.setParam('EpochTracker', 'total_epochs', '77');
  await kindling.autosaved();
  const own = await page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  const entries = () => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('kindling.graph.')).length);
  const before = await entries();
  // 35 fragment changes 20 ms apart, as a page that opened this tab could make.
  await page.evaluate(async (texts) => {
    for (let index = 0; index < 35; index += 1) {
      location.hash = `g=${texts[index % texts.length].split('#g=')[1]}`;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, links);
  await page.waitForFunction(() => location.hash === '', null, { timeout: 10_000 }); // opened: taken out of the address bar
  await kindling.waitForNotice('Opened the shared graph');
  await kindling.autosaved();
  const after = await entries();
  assert.ok(after <= before + 1, `one link opened, not 35: ${before} entries before, ${after} after`);
  assert.ok(await page.evaluate((id) => localStorage.getItem(`kindling.graph.${id}`), own), "the user's graph is saved still");
  // The same link again: its entry, not a new one.
  const opened = await page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  await page.evaluate((text) => { location.hash = `g=${text.split('#g=')[1]}`; }, links[34 % links.length]);
  await page.waitForFunction(() => location.hash === '', null, { timeout: 10_000 });
  await kindling.autosaved();
  assert.equal(await entries(), after, 'no entry more');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kindling.tab')), opened, 'the same entry');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('?embed shows a link compact and read-only, trains it, never touches the reader’s graphs, and opens it in Kindling', async () => {
  const context = await newContext();
  // The reader's own work in this browser, and a link to share.
  const own = await env.open({ context, query: '?backend=cpu' });
  await own.setParam('Dataset', 'samples', '300');
  await own.autosaved();
  await own.setParam('EpochTracker', 'total_epochs', '3');
  await own.byTestId('share-button').click();
  const fragment = new URL(await own.byTestId('share-link').inputValue()).hash;
  await own.autosaved();
  const stored = () => own.page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([key]) => key.startsWith('kindling.graph')).sort()));
  const before = await stored();

  const embedded = await env.open({ context, url: `${env.server.url}?embed&backend=cpu${fragment}` });
  const page = embedded.page;
  await embedded.byTestId('embed-bar').waitFor();
  assert.equal(await embedded.byTestId('document-bar').count(), 0, 'no document bar');
  assert.equal(await page.locator('.palette').isVisible(), false, 'no palette');
  assert.equal(await embedded.nodeCount(), await own.nodeCount(), 'the linked graph');
  // Read-only: a parameter cannot change, a node cannot be deleted, and the pointer says why.
  await embedded.selectNode('SGDOptimizer');
  assert.equal(await page.locator('[data-testid="inspector"] [data-param="learning_rate"]').isDisabled(), true);
  const nodes = await embedded.nodeCount();
  await page.keyboard.press('Delete');
  await page.locator('.pointer-note, [role="status"]').filter({ hasText: 'read-only' }).first().waitFor();
  assert.equal(await embedded.nodeCount(), nodes);
  // It trains, as the link says (3 epochs).
  await embedded.byTestId('train-button').click();
  assert.equal(await embedded.waitWhileTraining(), 'done');
  assert.equal(await embedded.epochsDone(), 3);
  // Edit: changes apply here, and are saved nowhere.
  await embedded.byTestId('embed-edit').click();
  assert.equal(await embedded.byTestId('embed-edit').getAttribute('aria-pressed'), 'true');
  await embedded.setParam('SGDOptimizer', 'learning_rate', '0.07');
  await page.waitForTimeout(1000);
  assert.equal(await stored(), before, 'the reader’s graphs are untouched');
  // Open in Kindling: the experiment as it stands, in the full page.
  await embedded.byTestId('open-in-kindling').hover();
  await page.mouse.down();
  await page.mouse.up();
  const href = await embedded.byTestId('open-in-kindling').getAttribute('href');
  assert.match(href, /#g=/);
  assert.doesNotMatch(href, /embed/);
  const full = await env.open({ context, url: href });
  assert.equal(await full.param('SGDOptimizer', 'learning_rate'), '0.07');
  await full.byTestId('document-bar').waitFor();
  assert.deepEqual([...embedded.errors, ...full.errors], []);
  await context.close();
});
