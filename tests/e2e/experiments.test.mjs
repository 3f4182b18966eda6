// End to end: sweeps (swept from the inspector, run as a whole, the results table sorted and
// applied, shared in a link, pruned) and the learning-rate range test, on the CPU backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** Sweeps parameter `name` of the `nth` node of `kind` over `values`, from the inspector. */
async function sweep(kindling, kind, name, values, nth = 0) {
  await kindling.selectNode(kind, nth);
  const inspector = kindling.byTestId('inspector');
  await inspector.locator(`[data-sweep="${name}"]`).check();
  const field = inspector.locator(`[data-sweep-values="${name}"]`);
  await field.fill(values);
  await field.press('Tab');
  assert.equal(await inspector.locator(`[data-sweep-values="${name}"]`).inputValue(), values);
}

/** The results table's rows: trial id, state, value and the settings' cells. */
async function rows(kindling) {
  return kindling.page.locator('[data-testid="sweep-table"] tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      trial: Number(row.dataset.trial),
      state: row.dataset.state,
      value: row.dataset.value === '' ? null : Number(row.dataset.value),
      settings: [...row.querySelectorAll('td.setting')].map((cell) => cell.textContent),
    })),
  );
}

async function waitForSweep(kindling, status, timeout = 180_000) {
  await kindling.page.waitForFunction(
    (status) => document.querySelector('[data-testid="sweep-status"]')?.textContent === status,
    status,
    { timeout },
  );
}

test('a 2×3 grid sweep on the basic loop completes; the table sorts; Apply writes a trial into the graph as one undo step', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 8, recordFrames: true });
  await sweep(kindling, 'SGDOptimizer', 'learning_rate', '0.01, 0.3');
  await sweep(kindling, 'SGDOptimizer', 'momentum', '0, 0.5, 0.9');
  assert.equal(await kindling.byTestId('sweep-plan').getAttribute('data-trials'), '6');
  assert.match(await kindling.text('sweep-plan'), /6 trials over SGDOptimizer #\d+ learning_rate × SGDOptimizer #\d+ momentum/);

  await kindling.settle();
  const start = await kindling.now();
  await kindling.byTestId('sweep-run').click();
  await waitForSweep(kindling, 'done');
  const { longest, frames } = await kindling.longestFrameGap(start, await kindling.now());
  console.log(`a 6-trial sweep: ${frames} frames, longest gap ${longest.toFixed(1)} ms`);
  assert.ok(longest <= 100, `the page stays responsive while the sweep trains: longest frame gap ${longest} ms`);
  const done = await rows(kindling);
  assert.deepEqual(done.map((row) => row.trial), [1, 2, 3, 4, 5, 6]);
  assert.ok(done.every((row) => row.state === 'done'), JSON.stringify(done));
  assert.ok(done.every((row) => row.value > 0 && row.value <= 1), 'accuracies');
  assert.deepEqual(done.map((row) => row.settings), [
    ['0.01', '0'], ['0.01', '0.5'], ['0.01', '0.9'], ['0.3', '0'], ['0.3', '0.5'], ['0.3', '0.9'],
  ]);
  assert.equal(await kindling.byTestId('sweep-table').getAttribute('data-monitor'), 'train_accuracy');
  assert.equal(await kindling.byTestId('sweep-curves').locator('svg').count(), 1);
  assert.equal(await kindling.byTestId('sweep-scatter').locator('svg').count(), 2, 'a scatter per swept parameter');
  assert.equal(await kindling.status(), 'idle', 'a sweep is not the Train run');

  // Sorted by value: best first, then worst first.
  await kindling.byTestId('sweep-sort-value').click();
  const best = (await rows(kindling)).map((row) => row.value);
  assert.deepEqual(best, [...best].sort((a, b) => b - a));
  await kindling.byTestId('sweep-sort-value').click();
  const worst = (await rows(kindling)).map((row) => row.value);
  assert.deepEqual(worst, [...best].reverse());
  await kindling.byTestId('sweep-sort-trial').click();
  assert.deepEqual((await rows(kindling)).map((row) => row.trial), [1, 2, 3, 4, 5, 6]);

  // Apply trial 5 (0.3, 0.5): the graph takes its settings; one Undo takes them back.
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.03');
  await kindling.page.locator('[data-testid="sweep-table"] tr[data-trial="5"] [data-testid="apply-trial"]').click();
  await kindling.waitForNotice("Trial 5's settings");
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.3');
  assert.equal(await kindling.param('SGDOptimizer', 'momentum'), '0.5');
  await kindling.byTestId('undo').click();
  assert.equal(await kindling.param('SGDOptimizer', 'learning_rate'), '0.03');
  assert.equal(await kindling.param('SGDOptimizer', 'momentum'), '0.9');
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a link with a sweep opens with the sweep; a sweep can be stopped as a whole', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 30 });
  await sweep(kindling, 'SGDOptimizer', 'learning_rate', '1e-3..1 log 4');
  await kindling.byTestId('sweep-search').selectOption('random');
  await kindling.byTestId('sweep-trials').fill('3');
  await kindling.byTestId('sweep-trials').press('Tab');
  assert.equal(await kindling.byTestId('sweep-plan').getAttribute('data-trials'), '3');
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();

  await kindling.byTestId('sweep-run').click();
  await kindling.page.locator('[data-testid="sweep-table"] tr[data-state="running"]').first().waitFor();
  await kindling.byTestId('sweep-pause').click();
  assert.equal(await kindling.text('sweep-status'), 'paused');
  await kindling.byTestId('sweep-resume').click();
  await kindling.byTestId('sweep-stop').click();
  assert.equal(await kindling.text('sweep-status'), 'stopped');
  const stopped = await rows(kindling);
  assert.ok(stopped.some((row) => row.state === 'stopped'), JSON.stringify(stopped));
  assert.ok(stopped.every((row) => row.state !== 'queued' && row.state !== 'running'), JSON.stringify(stopped));

  const opened = await env.open({ url: link, query: '' });
  assert.equal(await opened.byTestId('sweep-plan').getAttribute('data-trials'), '3');
  await opened.selectNode('SGDOptimizer');
  assert.equal(await opened.page.locator('[data-sweep-values="learning_rate"]').inputValue(), '1e-3..1 log 4');
  assert.equal(await opened.byTestId('sweep-search').inputValue(), 'random');
  assert.deepEqual([...kindling.errors, ...opened.errors], []);
  await kindling.close();
  await opened.close();
});

test('a sweep trains as many trials at once as it has workers, one per core but one, two on two cores', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 40 });
  await sweep(kindling, 'SGDOptimizer', 'learning_rate', '0.01, 0.03, 0.1, 0.3');
  const workers = kindling.byTestId('sweep-workers');
  const options = await workers.locator('option').evaluateAll((options) => options.map((option) => Number(option.value)));
  const cores = await kindling.page.evaluate(() => navigator.hardwareConcurrency);
  const most = Math.min(Math.max(cores - 1, 2), cores);
  assert.deepEqual(options, Array.from({ length: most }, (_, at) => at + 1));
  assert.equal(Number(await workers.inputValue()), most, 'the most, by default');
  await kindling.byTestId('sweep-run').click();
  if (most >= 2) {
    await kindling.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="sweep-table"] tr[data-state="running"]').length >= 2,
      null,
      { timeout: 60_000 },
    );
  }
  await waitForSweep(kindling, 'done');
  const ended = await rows(kindling);
  assert.ok(ended.every((row) => row.state === 'done' && row.value > 0), JSON.stringify(ended));
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('successive halving prunes the trials that fall behind and says how many epochs it saved', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 6 });
  await sweep(kindling, 'SGDOptimizer', 'learning_rate', '0.3, 0.00001, 0.2, 0.0001');
  // One worker: the trials reach their rungs in order, so which are pruned is known.
  await kindling.byTestId('sweep-workers').selectOption('1');
  await kindling.byTestId('sweep-pruning').selectOption('asha');
  await kindling.byTestId('sweep-min-epochs').fill('1');
  await kindling.byTestId('sweep-min-epochs').press('Tab');
  await kindling.byTestId('sweep-eta').fill('2');
  await kindling.byTestId('sweep-eta').press('Tab');
  await kindling.byTestId('sweep-run').click();
  await waitForSweep(kindling, 'done');
  const ended = await rows(kindling);
  assert.ok(ended.some((row) => row.state === 'pruned'), JSON.stringify(ended));
  assert.equal(ended[0].state, 'done', 'the first trial is first at every rung');
  assert.ok((await kindling.value('sweep-epochs-saved')) > 0);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the learning-rate range test plots the loss, suggests a rate and applies it', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await kindling.selectNode('SGDOptimizer');
  await kindling.byTestId('lr-range-test').click();
  await kindling.byTestId('lr-suggestion').waitFor({ timeout: 120_000 });
  const suggestion = await kindling.value('lr-suggestion');
  assert.ok(suggestion > 1e-4 && suggestion < 10, `suggested ${suggestion}`);
  assert.equal(await kindling.byTestId('lr-range-chart').locator('svg').count(), 1);
  await kindling.byTestId('apply-lr-suggestion').click();
  const applied = Number(await kindling.param('SGDOptimizer', 'learning_rate'));
  assert.ok(Math.abs(applied / suggestion - 1) < 1e-9, `${applied} against ${suggestion}`);
  assert.equal(Number(applied.toPrecision(2)), applied, `applied as a person writes it: ${applied}`);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the range test waits while a run trains: one activity on the engine at a time', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 5000 });
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(1);
  await kindling.selectNode('SGDOptimizer');
  await kindling.byTestId('lr-range-test').click();
  await kindling.page.waitForFunction(() => /cannot run now: a run is under way/.test(document.querySelector('[data-testid="lr-range-status"]')?.textContent ?? ''));
  assert.equal(await kindling.status(), 'training', 'the run goes on');
  await kindling.byTestId('stop-button').click();
  await kindling.waitForNoRunTask();
  await kindling.selectNode('SGDOptimizer');
  await kindling.byTestId('lr-range-test').click();
  await kindling.byTestId('lr-suggestion').waitFor({ timeout: 120_000 });
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the page keeps the last runs with what each ran differently and its time per epoch, drawn dashed when shown', async () => {
  const kindling = await env.open({ query: '?backend=cpu', epochs: 5 });
  const train = async () => {
    await kindling.byTestId('train-button').click();
    assert.equal(await kindling.waitWhileTraining(), 'done');
  };
  const legend = async () => {
    await kindling.chartsDrawn();
    return (await kindling.byTestId('loss-chart').locator('svg text').allTextContents()).map((t) => t.trim());
  };
  await train();
  assert.equal(await kindling.byTestId('runs').count(), 0, 'nothing kept before a second run');
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.1');
  await train();
  await kindling.setParam('SGDOptimizer', 'momentum', '0.5');
  await train();
  const runs = kindling.byTestId('runs');
  const row = (number) => runs.locator(`tr[data-run="${number}"]`);
  assert.match(await row(1).locator('.run-diff').textContent(), /^learning_rate 0\.03 → 0\.1, momentum 0\.9 → 0\.5$/);
  assert.match(await row(2).locator('.run-diff').textContent(), /^momentum 0\.9 → 0\.5$/);
  assert.match(await row(3).textContent(), /this run/);
  for (const number of [1, 2, 3]) {
    assert.match(await row(number).getByTestId('run-time-per-epoch').textContent(), /^\d+(\.\d)? ms$/);
  }
  let labels = await legend();
  assert.ok(labels.includes('previous run') && labels.includes('run 1'), labels.join('|'));
  await row(1).getByTestId('run-shown').uncheck();
  labels = await legend();
  assert.ok(labels.includes('previous run') && !labels.includes('run 1'), labels.join('|'));
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the MLP vs CNN template trains both networks in one sweep, and the CNN wins on shapes', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await kindling.byTestId('templates').selectOption('mlp_vs_cnn');
  assert.equal(await kindling.byTestId('sweep-plan').getAttribute('data-trials'), '2');
  await kindling.byTestId('sweep-run').click();
  await waitForSweep(kindling, 'done');
  const done = await rows(kindling);
  assert.deepEqual(done.map((row) => row.state), ['done', 'done'], JSON.stringify(done));
  assert.deepEqual(done.map((row) => row.settings), [
    ['Flatten, Linear(9), ReLU, Linear(4)'],
    ['Conv2d(8, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(16, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(4)'],
  ]);
  const [mlp, cnn] = done.map((row) => row.value);
  assert.ok(cnn >= mlp + 0.1, `validation accuracy: the MLP ${mlp}, the CNN ${cnn}`);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
