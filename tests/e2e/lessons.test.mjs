// End to end: every built-in lesson followed to its end as a learner would — opened from the
// Lessons list, each question answered, each change made in the inspector, each run trained,
// each step's goal checked by the page (`data-done`) before Next; the list then marks the
// lesson done. On the way: Train waits for the question, a locked parameter cannot be edited,
// highlights are drawn, a diagnosis's "Try it" changes the graph, a lesson travels in a link
// (opening at its first step) and survives a reload where it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();
/** The longest a step's goal may take to hold (a run, a range test, a sweep). */
const STEP_TIMEOUT = 240_000;

function stepCard(kindling) {
  return kindling.page.locator('[data-testid="lesson-step"]');
}

async function openLesson(kindling, slug) {
  await kindling.byTestId('lessons-button').click();
  await kindling.page.locator(`[data-testid="lessons"] [data-lesson="${slug}"]`).click();
  await kindling.page.locator('[data-testid="lesson-step"][data-step="0"]').waitFor();
}

/** Answers the step's question: its first answer, or a typed guess. */
async function guess(kindling) {
  const prediction = kindling.byTestId('lesson-prediction');
  const choices = prediction.locator('[data-choice]');
  if ((await choices.count()) > 0) {
    await choices.first().click();
  } else {
    await kindling.byTestId('lesson-guess').fill('it will learn');
    await kindling.byTestId('lesson-guess').press('Enter');
  }
  await kindling.page.locator('[data-testid="lesson-prediction"][data-answered="true"]').waitFor();
}

async function stepDone(kindling, step) {
  await kindling.page
    .locator(`[data-testid="lesson-step"][data-step="${step}"][data-done="true"]`)
    .waitFor({ timeout: STEP_TIMEOUT });
}

/** Follows `steps` (one per step of the lesson): each answers the question if there is one,
 * does what the step asks, and — where the step has a goal — waits until the page says it
 * holds; then Next. */
async function follow(kindling, slug, steps) {
  await openLesson(kindling, slug);
  for (const [at, act] of steps.entries()) {
    await kindling.page.locator(`[data-testid="lesson-step"][data-step="${at}"]`).waitFor();
    if ((await kindling.byTestId('lesson-prediction').count()) > 0) await guess(kindling);
    await act?.(kindling);
    if ((await kindling.byTestId('lesson-goal').count()) > 0) await stepDone(kindling, at);
    await kindling.byTestId('lesson-next').click();
  }
  await stepCard(kindling).waitFor({ state: 'detached' });
  await kindling.byTestId('lessons-button').click();
  await kindling.page.locator(`[data-testid="lessons"] [data-lesson="${slug}"][data-done="true"]`).waitFor();
  await kindling.byTestId('lessons-button').click();
}

/** Trains the graph as it stands: a run still going from the step before is stopped first
 * (a step's goal reads the runs started in it). */
async function train(kindling) {
  const stop = kindling.byTestId('stop-button');
  // An edit that is not an optimizer setting has stopped the run already, or is stopping it.
  if (await stop.isEnabled()) await stop.click({ timeout: 5_000 }).catch(() => {});
  await kindling.waitForNoRunTask();
  await kindling.byTestId('train-button').click();
}

const set = (kind, param, value) => async (kindling) => kindling.setParam(kind, param, value);
const setAndTrain = (kind, param, value) => async (kindling) => {
  await kindling.setParam(kind, param, value);
  await train(kindling);
};

test('what one neuron can separate: Train waits for the guess, the underfitting diagnosis offers a hidden layer, highlights drawn', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await openLesson(kindling, 'one-neuron');
  // The question comes first: Train says why it waits.
  assert.ok(await kindling.byTestId('train-button').isDisabled(), 'Train waits for the guess');
  assert.match(await kindling.text('blocked'), /Answer the lesson's question first/);
  // The Network is highlighted on the canvas.
  const stroke = await kindling.node('Network').locator('.node-body').evaluate((body) => getComputedStyle(body).strokeWidth);
  assert.equal(stroke, '4px', 'the highlighted node is outlined');
  await guess(kindling);
  await train(kindling);
  await stepDone(kindling, 0);
  assert.match(await kindling.byTestId('lesson-prediction').textContent(), /You guessed: Almost perfectly/);
  // A straight line on XOR underfits; the diagnosis says so, with the change to try.
  const underfitting = kindling.page.locator('[data-notice="underfitting"]');
  await underfitting.waitFor();
  assert.match(await underfitting.textContent(), /guessing among 2 classes gets 50%/);
  await kindling.byTestId('lesson-next').click();
  await underfitting.locator('[data-try]').click();
  assert.match(await kindling.param('Network', 'layers'), /^Linear\(8\), ReLU, Linear\(2\)$/);
  await train(kindling);
  await stepDone(kindling, 1);
  assert.equal(await underfitting.count(), 0, 'learnt: no underfitting');
  await kindling.byTestId('lesson-next').click();
  await kindling.byTestId('lesson-next').click();
  await stepCard(kindling).waitFor({ state: 'detached' });
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the learning rate: a locked parameter cannot change; too small, too large, right', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await openLesson(kindling, 'learning-rate');
  await kindling.selectNode('SGDOptimizer');
  const rate = kindling.page.locator('[data-testid="inspector"] [data-param="learning_rate"]');
  assert.ok(await rate.isDisabled(), 'locked in this step');
  await kindling.page.locator('[data-param-locked="learning_rate"]').waitFor();
  assert.ok(await kindling.byTestId('lesson-back').isDisabled(), 'no step before the first');
  await guess(kindling);
  await train(kindling);
  await stepDone(kindling, 0);
  await kindling.byTestId('lesson-next').click();
  assert.ok(!(await rate.isDisabled()), 'unlocked in the next step');
  await setAndTrain('SGDOptimizer', 'learning_rate', '50')(kindling);
  await stepDone(kindling, 1);
  await kindling.byTestId('lesson-next').click();
  await setAndTrain('SGDOptimizer', 'learning_rate', '1')(kindling);
  await stepDone(kindling, 2);
  // Each of the goal's tests reads what it holds now.
  const tests = await kindling.page.locator('[data-testid="lesson-goal"] [data-test]').evaluateAll((items) =>
    items.map((item) => [item.dataset.test, item.dataset.holds]),
  );
  assert.deepEqual(tests, [['SGDOptimizer.learning_rate in [0.002, 10]', 'true'], ['loss < 0.1', 'true']]);
  await kindling.byTestId('lesson-next').click();
  await stepCard(kindling).waitFor({ state: 'detached' });
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('activation functions, batch size, momentum, overfitting and schedules, each followed to its end', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await follow(kindling, 'activations', [
    train,
    setAndTrain('Network', 'layers', 'Linear(8), ReLU, Linear(8), ReLU, Linear(2)'),
    setAndTrain('Network', 'layers', 'Linear(8), Tanh, Linear(8), Tanh, Linear(2)'),
  ]);
  await follow(kindling, 'batch-size', [
    setAndTrain('BatchSampler', 'batch_size', '1'),
    setAndTrain('BatchSampler', 'batch_size', '400'),
    setAndTrain('BatchSampler', 'batch_size', '32'),
  ]);
  await follow(kindling, 'momentum', [
    train,
    setAndTrain('SGDOptimizer', 'momentum', '0.9'),
    setAndTrain('SGDOptimizer', 'momentum', '0.99'),
  ]);
  await follow(kindling, 'overfitting', [
    async (kindling) => {
      await train(kindling);
      await kindling.page.locator('[data-notice="overfitting"]').waitFor({ timeout: STEP_TIMEOUT });
    },
    setAndTrain('AdamOptimizer', 'weight_decay', '0.01'),
    null,
  ]);
  await follow(kindling, 'schedules', [
    train,
    setAndTrain('CosineAnnealingLR', 'eta_min', '0'),
    setAndTrain('LinearLR', 'start_factor', '0.1'),
  ]);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('tuning: the range test, its suggestion applied and trained, then a sweep', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await follow(kindling, 'tuning', [
    async (kindling) => {
      await kindling.selectNode('SGDOptimizer');
      await kindling.byTestId('lr-range-test').click();
    },
    async (kindling) => {
      await kindling.selectNode('SGDOptimizer');
      await kindling.byTestId('apply-lr-suggestion').click();
      await train(kindling);
    },
    async (kindling) => {
      await kindling.byTestId('sweep-run').click();
    },
  ]);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('beyond accuracy: the lesson brings its CSV; class weights raise the recall of the rare class', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  await follow(kindling, 'rare-class', [
    train,
    async (kindling) => {
      await kindling.selectNode('CrossEntropyLoss');
      const weights = kindling.byTestId('inspector').locator('[data-param="weight"]');
      await weights.locator('[data-weights-toggle]').check();
      await weights.locator('[data-class="0"]').fill('10');
      await weights.locator('[data-class="0"]').press('Tab');
      await kindling.page.waitForFunction(() =>
        [...document.querySelectorAll('[data-node-kind="CrossEntropyLoss"] .param-line')].some((line) => line.textContent.includes('[10, 1]')),
      );
      await train(kindling);
    },
    null,
  ]);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('your own data: a CSV picked, trained on', async () => {
  const kindling = await env.open({ query: '?backend=cpu' });
  const lines = ['width,height,kind'];
  for (let i = 0; i < 200; i++) lines.push(`${(i % 2 ? 1 : -1) + (i % 7) / 10},${(i % 2 ? -2 : 2) + (i % 5) / 10},${i % 2 ? 'tall' : 'wide'}`);
  await follow(kindling, 'your-own-data', [
    async (kindling) => {
      await kindling.selectNode('Dataset');
      await kindling.byTestId('dataset-file').setInputFiles({ name: 'shapes.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    },
    train,
    null,
  ]);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a lesson travels in a link, opening at its first step; a reload goes on where it was', async () => {
  const context = await env.browser.newContext();
  const kindling = await env.open({ context, query: '?backend=cpu' });
  await openLesson(kindling, 'momentum');
  await kindling.byTestId('lesson-next').click();
  await kindling.page.locator('[data-testid="lesson-step"][data-step="1"]').waitFor();
  await kindling.autosaved();
  await kindling.page.reload();
  await kindling.page.locator('[data-testid="lesson-step"][data-step="1"]').waitFor();
  assert.match(await stepCard(kindling).textContent(), /Momentum/);
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  const opened = await env.open({ context, url: link, ready: false });
  await opened.page.locator('[data-testid="lesson-step"][data-step="0"]').waitFor();
  assert.match(await opened.byTestId('lesson-step').textContent(), /Momentum/);
  // Closing the lesson keeps the graph.
  const nodes = await opened.nodeCount();
  await opened.byTestId('lesson-close').click();
  await stepCard(opened).waitFor({ state: 'detached' });
  assert.equal(await opened.nodeCount(), nodes);
  assert.deepEqual([...kindling.errors, ...opened.errors], []);
  await context.close();
});

test('a teacher makes a lesson from the graph, fixes a goal that does not read, previews it to its end and shares it', async () => {
  const context = await env.browser.newContext();
  const kindling = await env.open({ context, query: '?backend=cpu', epochs: 2 });
  const page = kindling.page;
  await kindling.byTestId('lessons-button').click();
  await kindling.byTestId('make-lesson').click();
  const author = kindling.byTestId('lesson-author');
  await author.waitFor();
  await kindling.byTestId('author-title').fill('Momentum, felt');
  await kindling.byTestId('author-summary').fill('What momentum does to the loss curve');
  const step = (at) => page.locator(`[data-testid="author-step"][data-step="${at}"]`);
  await step(0).locator('[data-testid="author-text"]').fill('Train once with *this* momentum and watch the loss.');
  await step(0).locator('[data-testid="author-highlights"]').fill('train-button, SGDOptimizer.momentum');
  await step(0).locator('[data-testid="author-locks"]').fill('SGDOptimizer.momentum');
  // A goal that does not read is said beside it, and nothing can be previewed.
  await step(0).locator('[data-testid="author-goal"]').fill('epochs_rum >= 2');
  await step(0).locator('[data-problem="goal"]').waitFor();
  assert.match(await step(0).locator('[data-problem="goal"]').textContent(), /epochs_rum/);
  assert.equal(await kindling.byTestId('author-preview').isDisabled(), true);
  await step(0).locator('[data-testid="author-goal"]').fill('epochs_run >= 2');
  await step(0).locator('[data-problem="goal"]').waitFor({ state: 'detached' });
  await kindling.byTestId('author-add-step').click();
  await step(1).locator('[data-testid="author-text"]').fill('Now change the learning rate.');
  await step(1).locator('[data-testid="author-question"]').fill('Will it learn faster?');
  await step(1).locator('[data-testid="author-choices"]').fill('faster\nslower');
  await step(1).locator('[data-testid="author-goal"]').fill('param_changed(SGDOptimizer.learning_rate)');
  await page.locator('[data-testid="author-problems"][data-count="0"]').waitFor();
  await kindling.byTestId('author-preview').click();

  // Preview: the lesson as a learner sees it — text, lock, highlight, goal checked live.
  await page.locator('[data-testid="lesson-step"][data-step="0"]').waitFor();
  assert.match(await kindling.byTestId('lesson-step').textContent(), /Momentum, felt.*Train once with this momentum/s);
  await kindling.byTestId('author-close').click();
  await kindling.selectNode('SGDOptimizer');
  assert.equal(await page.locator('[data-testid="inspector"] [data-param="momentum"]').isDisabled(), true, 'momentum is locked');
  await kindling.byTestId('train-button').click();
  await page.locator('[data-testid="lesson-step"][data-step="0"][data-done="true"]').waitFor({ timeout: 120_000 });
  await kindling.byTestId('lesson-next').click();
  await page.locator('[data-testid="lesson-step"][data-step="1"]').waitFor();
  await kindling.byTestId('lesson-prediction').locator('[data-choice="faster"]').click();
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.05');
  await page.locator('[data-testid="lesson-step"][data-step="1"][data-done="true"]').waitFor();

  // Shared from the panel: the link opens the lesson on its start (the learning rate as it
  // was, not as the preview left it), at its first step.
  await kindling.byTestId('lessons-button').click();
  await kindling.byTestId('make-lesson').click();
  assert.equal(await kindling.byTestId('author-title').inputValue(), 'Momentum, felt', 'the draft previewed');
  await kindling.byTestId('author-share').click();
  const link = await kindling.byTestId('author-link').inputValue();
  const opened = await env.open({ context: env.browser, url: link, ready: false });
  await opened.page.locator('[data-testid="lesson-step"][data-step="0"]').waitFor();
  assert.match(await opened.byTestId('lesson-step').textContent(), /Momentum, felt/);
  assert.notEqual(Number(await opened.param('SGDOptimizer', 'learning_rate')), 0.05, 'the lesson starts where it was made');
  // Editing it again, in the learner's page, starts from the lesson as it is.
  await opened.byTestId('lessons-button').click();
  await opened.byTestId('make-lesson').click();
  assert.equal(await opened.byTestId('author-title').inputValue(), 'Momentum, felt');
  assert.equal(await opened.page.locator('[data-testid="author-step"]').count(), 2);
  assert.deepEqual([...kindling.errors, ...opened.errors], []);
  await opened.close();
  await context.close();
});
