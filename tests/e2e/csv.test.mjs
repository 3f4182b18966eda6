// End to end: a Dataset of the user's own CSV file — picked in the inspector and dropped on the
// canvas, its bad rows reported by line, trained on; kept in IndexedDB across a reload; a
// share link that carries the file's name and hash and asks for the file in a browser that
// does not have it; a file that is not a table refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORT } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** Two classes in three features, the label as text, and one bad row (line 42: a field short). */
function blobs(rows = 240) {
  const lines = ['sepal,petal,stem,species'];
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    const wobble = ((i * 7919) % 100) / 100 - 0.5;
    lines.push(`${(c ? 1 : -1) + wobble},${(c ? 10 : -10) + wobble * 5},${100 + wobble},${c ? 'virginica' : 'setosa'}`);
    if (lines.length === 41) lines.push('1.5,2.5');
  }
  return lines.join('\r\n') + '\r\n';
}

const newContext = () => env.browser.newContext({ viewport: VIEWPORT });

/** Switches the Dataset to csv and gives it `text` as `name`. */
async function pickCsv(kindling, text, name = 'flowers.csv') {
  await kindling.selectNode('Dataset');
  await kindling.page.locator('[data-testid="inspector"] [data-param="kind"]').selectOption('csv');
  await kindling.byTestId('dataset-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

test('a CSV picked in the inspector trains; its bad row is reported by line; a reload finds it again', async () => {
  const context = await newContext();
  const kindling = await env.open({ context, epochs: 20, query: '?backend=cpu' });
  await pickCsv(kindling, blobs());
  await kindling.waitForNotice('flowers.csv');
  const notice = await kindling.notice();
  assert.match(notice, /1 of 241 rows of flowers\.csv left out — line 42: 2 fields, and the header has 4/, notice);
  await kindling.selectNode('Dataset');
  assert.equal(await kindling.page.locator('[data-testid="inspector"] [data-param="target"]').inputValue(), 'species');
  assert.equal(await kindling.byTestId('dataset-samples').getAttribute('data-value'), '240');
  assert.equal(await kindling.byTestId('dataset-left-out').getAttribute('data-count'), '1');
  const stats = await kindling.byTestId('dataset-stats').locator('tbody tr').allTextContents();
  assert.equal(stats.length, 3, `one row per feature: ${stats}`);
  assert.match(stats[1], /^petal/);
  // The Network's input follows the file: three features.
  const inputShape = () => document.querySelector('[data-node-kind="Network"] [data-port$=":input"]')?.dataset.shape;
  await kindling.page.waitForFunction(() => document.querySelector('[data-node-kind="Network"] [data-port$=":input"]')?.dataset.shape === '[32, 3]');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  assert.ok((await kindling.value('train-accuracy')) > 0.9, 'two well separated blobs');
  // Leaving a feature out is one click, and the data follows.
  await kindling.selectNode('Dataset');
  await kindling.page.locator('[data-feature="stem"]').uncheck();
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="dataset-stats"] tbody')?.children.length === 2);
  assert.equal(await kindling.page.evaluate(inputShape), '[32, 2]');
  // After a reload the file comes back from IndexedDB: nothing to pick again.
  await kindling.autosaved();
  await kindling.page.reload();
  await kindling.waitForReady();
  await kindling.selectNode('Dataset');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="dataset-file-state"]')?.dataset.state === 'held');
  assert.equal(await kindling.byTestId('train-button').isDisabled(), false);
  assert.deepEqual(kindling.errors, []);
  await context.close();
});

test('a shared link carries the file by name and hash, and asks for it where the browser lacks it', async () => {
  const sender = await newContext();
  const kindling = await env.open({ context: sender, epochs: 3, query: '?backend=cpu' });
  await pickCsv(kindling, blobs(), 'mine.csv');
  await kindling.waitForNotice('mine.csv');
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  await sender.close();

  const receiver = await newContext();
  const opened = await env.open({ context: receiver, url: link });
  await opened.node('Dataset').waitFor();
  await opened.page.waitForFunction(() => document.querySelector('[data-node-kind="Dataset"] [data-testid="node-errors"]'));
  assert.equal(await opened.byTestId('train-button').isDisabled(), true, 'nothing to train on yet');
  assert.match(await opened.text('blocked'), /mine\.csv \([\d.]+ kB\), which this browser does not hold/);
  await opened.waitForNotice('This graph trains on mine.csv');
  await opened.selectNode('Dataset');
  assert.equal(await opened.byTestId('dataset-file-state').getAttribute('data-state'), 'missing');
  await opened.byTestId('dataset-file').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(blobs()) });
  await opened.page.waitForFunction(() => !document.querySelector('[data-testid="train-button"]').disabled);
  await opened.byTestId('train-button').click();
  assert.equal(await opened.waitWhileTraining(), 'done');
  assert.deepEqual(opened.errors, []);
  await receiver.close();
});

test('a CSV dropped on the canvas becomes the data; a file that is not a table is refused, the graph unchanged', async () => {
  const context = await newContext();
  const kindling = await env.open({ context, query: '?backend=cpu' });
  const drop = (name, text) =>
    kindling.page.evaluate(([name, text]) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'text/csv' }));
      const canvas = document.querySelector('[data-testid="canvas"]');
      for (const type of ['dragover', 'drop']) canvas.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }, [name, text]);
  // Past 16 MB a file is refused by its size, before a byte of it is read.
  await kindling.page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x,y\n', '1,2\n'.repeat(4_500_000)], 'huge.csv', { type: 'text/csv' }));
    const canvas = document.querySelector('[data-testid="canvas"]');
    for (const type of ['dragover', 'drop']) canvas.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await kindling.waitForNotice('huge.csv cannot be used as a dataset: it is 18.0 MB; Kindling reads CSV files up to 16.8 MB');
  await drop('empty.csv', 'only,a,header\n');
  await kindling.waitForNotice('empty.csv cannot be used as a dataset: it has a header but no row of data');
  assert.equal(await kindling.node('Dataset').getAttribute('data-node-kind'), 'Dataset');
  await kindling.selectNode('Dataset');
  assert.equal(await kindling.page.locator('[data-testid="inspector"] [data-param="kind"]').inputValue(), 'spiral', 'unchanged');
  await drop('dropped.csv', blobs(100));
  await kindling.waitForNotice('dropped.csv');
  await kindling.selectNode('Dataset');
  assert.equal(await kindling.page.locator('[data-testid="inspector"] [data-param="kind"]').inputValue(), 'csv');
  assert.equal(await kindling.byTestId('dataset-samples').getAttribute('data-value'), '100');
  // One undo takes the whole switch back.
  await kindling.byTestId('undo').click();
  await kindling.selectNode('Dataset');
  assert.equal(await kindling.page.locator('[data-testid="inspector"] [data-param="kind"]').inputValue(), 'spiral');
  assert.deepEqual(kindling.errors, []);
  await context.close();
});
