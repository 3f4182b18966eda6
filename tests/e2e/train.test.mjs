// End to end: the release build, served from a sub-path, trains the default graph in headless
// Chromium while animation frames keep coming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KindlingPage } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

async function openPage(query = '') {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await KindlingPage.recordFrames(page);
  await page.goto(env.server.url + query);
  return { page, kindling: new KindlingPage(page), errors };
}

test('the page loads from a sub-path and shows the default graph', async () => {
  const { page, kindling, errors } = await openPage();
  await kindling.byTestId('train-button').waitFor();
  assert.equal(await kindling.status(), 'idle');
  assert.equal(await kindling.byTestId('backend').textContent(), 'cpu');
  assert.equal(await page.locator('[data-node-id]').count(), 8);
  assert.equal(await page.locator('[data-wire]').count(), 13);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Train trains to ≥ 0.9 accuracy with no animation-frame gap over 100 ms and no task over 50 ms', async () => {
  const { page, kindling, errors } = await openPage();
  await page.locator('[data-testid="backend"][data-ready="true"]').waitFor();
  const readyAt = await page.evaluate(() => performance.now());
  await kindling.settle();
  const start = await page.evaluate(() => performance.now());
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const end = await page.evaluate(() => performance.now());
  assert.equal(await kindling.byTestId('epoch').textContent(), '200/200');
  const accuracy = await kindling.value('train-accuracy');
  const { longest, frames } = await kindling.longestFrameGap(start, end);
  const long = await kindling.longTasks(start, end);
  console.log(
    `engine warmed up ${readyAt.toFixed(0)} ms after navigation; ` +
      `trained 200 epochs in ${(end - start).toFixed(0)} ms; accuracy ${accuracy}; ` +
      `${frames} frames, longest gap ${longest.toFixed(1)} ms; ` +
      `long tasks (> 50 ms) ${long.tasks}, long animation frames ${long.longFrames}`,
  );
  assert.ok(accuracy >= 0.9, `accuracy ${accuracy}`);
  assert.ok(frames > 2, 'animation frames kept coming');
  assert.ok(longest <= 100, `longest frame gap ${longest} ms`);
  assert.equal(long.tasks, 0, `no task over 50 ms while training; longest ${long.longestTask} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('?autorun warms the engine up, then trains to the end with no frame gap over 100 ms', async () => {
  const { page, kindling, errors } = await openPage('?autorun');
  await kindling.waitForStatus('training');
  const start = await page.evaluate(() => performance.now());
  assert.equal(await kindling.byTestId('backend').getAttribute('data-ready'), 'true');
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const end = await page.evaluate(() => performance.now());
  const { longest } = await kindling.longestFrameGap(start, end);
  console.log(`autorun: training started ${start.toFixed(0)} ms after navigation; longest frame gap ${longest.toFixed(1)} ms`);
  assert.ok(longest <= 100, `longest frame gap ${longest} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Stop stops training at once', async () => {
  const { page, kindling } = await openPage();
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.status(), 'training');
  await kindling.byTestId('stop-button').click();
  assert.equal(await kindling.status(), 'idle');
  const epochAtStop = await kindling.byTestId('epoch').textContent();
  await page.waitForTimeout(300);
  assert.equal(await kindling.byTestId('epoch').textContent(), epochAtStop);
  await page.close();
});
