// End to end: the engine in its Web Worker. Training runs in the worker; an engine that crashes
// is reported and replaced, with the graph and the charts kept; where no worker can start, the
// engine runs on the page's thread and the page says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

test('the engine runs in a worker of its own, and trains there', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 20 });
  const worker = await kindling.engineWorker();
  assert.match(worker.url(), /\/kindling\/engine-worker\.js$/, 'served beside the page, under its sub-path');
  // The worker holds the engine (its end of the channel); the page does not.
  assert.equal(await worker.evaluate(() => typeof kindlingPort), 'object');
  assert.equal(await kindling.page.evaluate(() => typeof kindlingPort), 'undefined', 'the page holds no engine');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  assert.equal(await kindling.text('epoch'), '20/20');
  assert.ok((await kindling.value('train-accuracy')) > 0.5);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a crashed engine is said, a fresh one starts, and the graph and the charts stay', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 5000 });
  await kindling.setParam('Dataset', 'samples', '300');
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(2);
  const nodes = await kindling.nodeCount();
  const worker = await kindling.engineWorker();
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('killed by the test');
    });
  });
  await kindling.waitForNotice('The training engine stopped');
  assert.equal(await kindling.byTestId('notice').getAttribute('data-kind'), 'error');
  assert.match(await kindling.notice(), /killed by the test/);
  assert.equal(await kindling.status(), 'error');
  assert.equal(await kindling.nodeCount(), nodes, 'the graph is kept');
  assert.ok((await kindling.epochsDone()) >= 2, 'the charts are kept');
  // A fresh engine comes up and trains the graph as edited.
  await kindling.waitForReady(60_000);
  assert.equal(await kindling.param('Dataset', 'samples'), '300');
  await kindling.setParam('EpochTracker', 'total_epochs', '3');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  assert.equal(await kindling.text('epoch'), '3/3');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('where no worker can start, the engine runs on the page and the page says so', async () => {
  const blocked = (page) => page.route('**/engine-worker.js', (route) => route.abort());
  const kindling = await env.open({ query: '?backend=cpu', prepare: blocked, epochs: 5, timeout: 60_000 });
  assert.match(await kindling.notice(), /Training runs on this page's thread: a worker could not start/);
  assert.equal(kindling.page.workers().length, 0);
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  assert.equal(await kindling.text('epoch'), '5/5');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
