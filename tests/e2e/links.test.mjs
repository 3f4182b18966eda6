// End to end: share links, autosave, recent graphs, two tabs, storage that fails, hostile
// links, and graph files (export, import by button and by drop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { KindlingPage, selectNode, setParam } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

const DATASET = 0, NETWORK = 3, SGD = 5, TRACKER = 7;
const corpus = JSON.parse(await readFile(new URL('../links/hostile.json', import.meta.url), 'utf8'));

/** Waits until the page is ready to train (after a load or reload). */
const ready = (page) => page.locator('[data-testid="backend"][data-ready="true"]').waitFor({ timeout: 30_000 });

/** Waits until the notice includes `text`. */
const noticeSays = (page, text, options = {}) =>
  page.waitForFunction((text) => document.querySelector('[data-testid="notice"]')?.textContent.includes(text), text, options);

/** Opens `url` (the page by default) in a new tab of `context`, ready to train. */
async function open(context, url = env.server.url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await ready(page);
  return { page, kindling: new KindlingPage(page), errors };
}

/** The value of parameter `name` of `node`, as the inspector shows it. */
async function param(page, node, name) {
  await selectNode(page, node);
  return page.locator(`[data-testid="inspector"] [data-param="${name}"]`).inputValue();
}

const nodeCount = (page) => page.locator('[data-node-id]').count();
const notice = (page) => page.locator('[data-testid="notice"]').textContent();

/** Waits for autosave (it writes a short while after the last change). */
const autosaved = (page) => page.waitForTimeout(1000);

/** The graph as Export JSON downloads it, parsed. */
async function exported(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-json"]').click()]);
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
  const sender = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page, kindling, errors } = await open(sender);
  await kindling.byTestId('share-button').click();
  const untouched = await kindling.byTestId('share-link').inputValue();
  assert.ok(untouched.length < 400, `the default graph's link has ${untouched.length} characters`);
  assert.ok(untouched.startsWith(`${env.server.url}#g=`), `an absolute link under the sub-path: ${untouched}`);

  await setParam(page, TRACKER, 'total_epochs', '1');
  await setParam(page, SGD, 'learning_rate', '0.07');
  await setParam(page, DATASET, 'seed', '42');
  const canvas = await kindling.byTestId('canvas').boundingBox();
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await page.mouse.wheel(0, -200); // the view travels too
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  assert.notEqual(link, untouched);
  assert.match(await notice(page), /Link copied|copy it from the box/);
  const sent = await exported(page);
  const loss = await firstEpochLoss(kindling);

  const receiver = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const opened = await open(receiver, link);
  assert.match(await notice(opened.page), /Opened the shared graph/);
  assert.equal(new URL(opened.page.url()).hash, '', 'the link is taken out of the address bar once opened');
  assert.deepEqual(await exported(opened.page), sent, 'the same graph, parameters, positions and view');
  assert.equal(await firstEpochLoss(opened.kindling), loss);
  // Reloading shows the shared graph again, now saved in this browser.
  await opened.page.reload();
  await ready(opened.page);
  assert.equal(await param(opened.page, SGD, 'learning_rate'), '0.07');
  assert.deepEqual([...errors, ...opened.errors], []);
  await sender.close();
  await receiver.close();
});

test('the graph autosaves and comes back on reload; a shared link keeps local work under Recent graphs', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await open(context);
  await setParam(page, SGD, 'learning_rate', '0.33');
  await autosaved(page);
  await page.reload();
  await ready(page);
  assert.equal(await param(page, SGD, 'learning_rate'), '0.33');
  // Reloading at once, before the autosave delay: the page saves as it is hidden.
  const entry = () => page.evaluate(() => localStorage.getItem(`kindling.graph.${sessionStorage.getItem('kindling.tab')}`));
  const before = await entry();
  await setParam(page, SGD, 'momentum', '0.6');
  assert.equal(await entry(), before, 'not saved yet: autosave waits 0.4 s');
  await page.reload();
  await ready(page);
  assert.equal(await param(page, SGD, 'momentum'), '0.6');

  // A link to a graph with another learning rate, opened in the same tab.
  await setParam(page, SGD, 'learning_rate', '0.01');
  await page.locator('[data-testid="share-button"]').click();
  const link = await page.locator('[data-testid="share-link"]').inputValue();
  await setParam(page, SGD, 'learning_rate', '0.44');
  await autosaved(page);
  // Only the fragment differs, so the page stays and hears the change (as when a link is
  // pasted into the address bar of an open tab).
  await page.goto(link);
  await noticeSays(page, 'Opened the shared graph');
  assert.equal(await param(page, SGD, 'learning_rate'), '0.01');
  assert.match(await notice(page), /kept under Recent graphs/);
  // The graph from before is one pick away.
  const recent = page.locator('[data-testid="recent-graphs"]');
  const ids = await recent.locator('option[data-id]').evaluateAll((options) => options.map((o) => o.value));
  assert.equal(ids.length, 2, 'the local graph and the shared one');
  const current = await page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  await recent.selectOption(ids.find((id) => id !== current));
  assert.equal(await param(page, SGD, 'learning_rate'), '0.44');
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs editing different graphs never erase each other', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const first = await open(context);
  await setParam(first.page, SGD, 'learning_rate', '0.11');
  await autosaved(first.page);
  const second = await open(context);
  // A new tab starts from the latest graph, as a copy of its own.
  assert.equal(await param(second.page, SGD, 'learning_rate'), '0.11');
  await setParam(second.page, SGD, 'learning_rate', '0.22');
  await autosaved(second.page);
  await first.page.bringToFront();
  await setParam(first.page, SGD, 'momentum', '0.5');
  await autosaved(first.page);
  for (const { page } of [first, second]) {
    // A background tab gets no animation frames, which the page's start-up waits for.
    await page.bringToFront();
    await page.reload();
    await ready(page);
  }
  assert.equal(await param(first.page, SGD, 'learning_rate'), '0.11');
  assert.equal(await param(first.page, SGD, 'momentum'), '0.5');
  assert.equal(await param(second.page, SGD, 'learning_rate'), '0.22');
  assert.equal(await param(second.page, SGD, 'momentum'), '0.9');
  assert.equal(await second.page.locator('[data-testid="recent-graphs"] option[data-id]').count(), 2);

  // The second tab picks the first tab's graph from Recent graphs and edits it: the first tab
  // hears that save and moves to a copy of its own, so neither erases the other.
  const firstId = await first.page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  await second.page.bringToFront();
  await second.page.locator('[data-testid="recent-graphs"]').selectOption(firstId);
  await setParam(second.page, SGD, 'learning_rate', '0.3');
  await autosaved(second.page);
  // A background tab gets no animation frames: poll on a timer.
  await noticeSays(first.page, 'also open in another tab', { polling: 100 });
  assert.notEqual(await first.page.evaluate(() => sessionStorage.getItem('kindling.tab')), firstId);
  assert.equal(await second.page.locator('[data-testid="recent-graphs"] option[data-id]').count(), 3);
  await first.page.bringToFront();
  await first.page.reload();
  await ready(first.page);
  assert.equal(await param(first.page, SGD, 'learning_rate'), '0.11');
  assert.equal(await param(first.page, SGD, 'momentum'), '0.5');
  assert.deepEqual([...first.errors, ...second.errors], []);
  await context.close();
});

test('hostile links each say what is wrong, change nothing, and inject nothing', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await open(context);
  await setParam(page, SGD, 'learning_rate', '0.05');
  await autosaved(page);
  for (const [index, { what, link, message }] of corpus.entries()) {
    // A query that differs each time makes each a fresh page load.
    await page.goto(`${env.server.url}?case=${index}#g=${link}`);
    await ready(page);
    const shown = await notice(page);
    assert.match(shown, /This link cannot be opened/, what);
    assert.ok(shown.includes(message), `${what}: "${message}" not in "${shown}"`);
    assert.equal(await page.locator('[data-testid="notice"]').getAttribute('data-kind'), 'error', what);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${what}: markup ran`);
    assert.equal(await page.locator('img[src="x"]').count(), 0, `${what}: markup was inserted`);
    // The editor is usable, with the graph it had.
    assert.equal(await nodeCount(page), 8, what);
    assert.equal(await param(page, SGD, 'learning_rate'), '0.05', what);
  }
  await setParam(page, SGD, 'learning_rate', '0.06');
  assert.equal(await param(page, SGD, 'learning_rate'), '0.06');
  assert.deepEqual(errors, []);
  await context.close();
});

test('storage that is full, unavailable or unreadable gives a message and a working editor', async () => {
  // Unreadable: an entry no version of Kindling can read is moved aside, not deleted.
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await open(context);
  await page.evaluate(() => localStorage.setItem('kindling.graph.old', '{"saved_at": 1, "title": "x", "experime'));
  await page.reload();
  await ready(page);
  assert.match(await notice(page), /could not be read.*kindling\.unreadable\.old/);
  assert.equal(
    await page.evaluate(() => localStorage.getItem('kindling.unreadable.old')),
    '{"saved_at": 1, "title": "x", "experime',
  );
  assert.equal(await page.evaluate(() => localStorage.getItem('kindling.graph.old')), null);
  assert.equal(await nodeCount(page), 8);
  await context.close();

  // Full: every write fails with the quota error.
  const full = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await full.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (this === window.localStorage && key.startsWith('kindling.graph.')) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return setItem.call(this, key, value);
    };
  });
  const onFull = await open(full);
  await setParam(onFull.page, SGD, 'learning_rate', '0.12');
  await autosaved(onFull.page);
  assert.match(await notice(onFull.page), /Autosave failed: browser storage is full/);
  assert.equal(await param(onFull.page, SGD, 'learning_rate'), '0.12', 'the edit stays');
  await full.close();

  // Unavailable (private mode, or blocked): reading localStorage throws.
  const blocked = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await blocked.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  const onBlocked = await open(blocked);
  assert.match(await notice(onBlocked.page), /Autosave is off: browser storage is not available/);
  await setParam(onBlocked.page, SGD, 'learning_rate', '0.13');
  assert.equal(await param(onBlocked.page, SGD, 'learning_rate'), '0.13');
  await onBlocked.kindling.byTestId('share-button').click();
  assert.match(await onBlocked.kindling.byTestId('share-link').inputValue(), /#g=/, 'sharing still works');
  assert.deepEqual([...errors, ...onFull.errors, ...onBlocked.errors], []);
  await blocked.close();
});

test('a graph exports as readable JSON and imports back, by button and by drop; a bad file says why', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page, kindling, errors } = await open(context);
  await setParam(page, SGD, 'learning_rate', '0.25');
  const file = await exported(page);
  assert.equal(file.format, 'kindling-experiment');
  assert.equal(file.version, 1);
  assert.equal(file.graph.nodes.find((node) => node.kind === 'SGDOptimizer').params.learning_rate, 0.25);
  const json = JSON.stringify(file, null, 2);

  await setParam(page, SGD, 'learning_rate', '0.5');
  await kindling.byTestId('import-json').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await noticeSays(page, 'Imported mine.json');
  assert.equal(await param(page, SGD, 'learning_rate'), '0.25');
  // Undo brings back the graph from before the import.
  await kindling.byTestId('undo').click();
  assert.equal(await param(page, SGD, 'learning_rate'), '0.5');

  // Dropped onto the canvas.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    const canvas = document.querySelector('[data-testid="canvas"]');
    canvas.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, json);
  await noticeSays(page, 'Imported dropped.json');
  assert.equal(await param(page, SGD, 'learning_rate'), '0.25');

  // A file from a later Kindling, and one that is not JSON: refused with a reason, nothing changes.
  const later = JSON.stringify({ ...file, version: 9 });
  await kindling.byTestId('import-json').setInputFiles({ name: 'later.json', mimeType: 'application/json', buffer: Buffer.from(later) });
  await noticeSays(page, 'later.json cannot be imported');
  assert.match(await notice(page), /newer Kindling/);
  await kindling.byTestId('import-json').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('<b>not json') });
  await noticeSays(page, 'notes.json cannot be imported');
  assert.equal(await nodeCount(page), 8);
  assert.equal(await param(page, SGD, 'learning_rate'), '0.25');
  assert.deepEqual(errors, []);
  await context.close();
});
