// End to end: the node editor, driven with real pointer and keyboard events in headless
// Chromium; each test checks the graph the page shows afterwards. Nodes are found by kind,
// wires read as `Kind:port->Kind:port`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KindlingPage } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** The editor in a new tab of `context` (the file's browser by default), with its graph
 * drawn; `hasTouch` for a touch screen. */
async function openEditor(context = env.browser, { hasTouch = false } = {}) {
  const kindling = await KindlingPage.open(context, env.server, { ready: false, hasTouch });
  await kindling.node('Dataset').waitFor();
  return new EditorPage(kindling.page, kindling.errors);
}

class EditorPage extends KindlingPage {
  async centre(locator) {
    const box = await locator.boundingBox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
  /** A point on the title bar of the `nth` node of `kind`, where a drag moves it. */
  async header(kind, nth = 0) {
    const box = await this.node(kind, nth).locator('.node-header').boundingBox();
    return { x: box.x + 40, y: box.y + box.height / 2 };
  }
  /** An empty spot of the canvas (below the default graph's top row, left of its lower row). */
  async emptySpot() {
    const box = await this.byTestId('canvas').boundingBox();
    return { x: box.x + 60, y: box.y + box.height - 40 };
  }
  async drag(from, to, { steps = 8, shift = false } = {}) {
    const mouse = this.page.mouse;
    if (shift) await this.page.keyboard.down('Shift');
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move(to.x, to.y, { steps });
    await mouse.up();
    if (shift) await this.page.keyboard.up('Shift');
  }
  async click(point) {
    await this.page.mouse.click(point.x, point.y);
  }
  async nodeX(kind, nth = 0) {
    return Number(await this.node(kind, nth).locator('.node-body').getAttribute('x'));
  }
  async nodeY(kind, nth = 0) {
    return Number(await this.node(kind, nth).locator('.node-body').getAttribute('y'));
  }
  async selected(kind, nth = 0) {
    return (await this.node(kind, nth).getAttribute('data-selected')) === 'true';
  }
  async viewTransform() {
    return this.byTestId('viewport').evaluate((layer) => layer.style.transform);
  }
  /** Waits until the view has moved from `before` (a transform from `viewTransform`). */
  async viewMovedFrom(before) {
    await this.page.waitForFunction(
      (before) => document.querySelector('[data-testid="viewport"]').style.transform !== before,
      before,
    );
  }
}

test('dragging from an output to an input of the same type connects them', async () => {
  const editor = await openEditor();
  // Detach Network's input by dragging it away onto empty canvas, then press Escape.
  await editor.drag(await editor.centre(editor.port('Network', 'input')), await editor.emptySpot());
  assert.ok(!(await editor.wires()).includes('GetBatch:inputs->Network:input'));
  await editor.page.keyboard.press('Escape');
  await editor.drag(await editor.centre(editor.port('GetBatch', 'inputs')), await editor.centre(editor.port('Network', 'input')));
  assert.ok((await editor.wires()).includes('GetBatch:inputs->Network:input'));
  assert.deepEqual(editor.errors, []);
  await editor.close();
});

test('a refused connection says why at the pointer and changes nothing', async () => {
  const editor = await openEditor();
  const before = await editor.wires();
  await editor.drag(await editor.centre(editor.port('SGDOptimizer', 'optimizer')), await editor.centre(editor.port('Network', 'input')));
  const note = editor.byTestId('connection-refused');
  await note.waitFor();
  assert.match(await note.textContent(), /gives an optimizer, but Network's `input` takes a tensor/);
  assert.deepEqual(await editor.wires(), before);
  await editor.close();
});

test('a wire dropped on empty canvas opens the add-menu with only nodes that can take it', async () => {
  const editor = await openEditor();
  await editor.drag(await editor.centre(editor.port('Network', 'model')), await editor.emptySpot());
  await editor.byTestId('add-menu').waitFor();
  const offered = await editor.page.locator('[data-add-kind]').evaluateAll((items) => items.map((i) => i.getAttribute('data-add-kind')));
  assert.ok(offered.includes('AdamOptimizer') && offered.includes('RunEpoch'), offered.join());
  assert.ok(!offered.includes('Dataset'), offered.join());
  await editor.byTestId('add-search').fill('adam');
  await editor.byTestId('add-search').press('Enter');
  assert.equal(await editor.page.locator('[data-node-kind="AdamOptimizer"]').count(), 1);
  assert.ok((await editor.wires()).includes('Network:model->AdamOptimizer:model'));
  await editor.close();
});

test('dragging a connected input away detaches its wire; undo brings it back', async () => {
  const editor = await openEditor();
  const wire = 'CrossEntropyLoss:loss->TrainingStep:loss';
  await editor.drag(await editor.centre(editor.port('TrainingStep', 'loss')), await editor.emptySpot());
  await editor.page.keyboard.press('Escape');
  assert.ok(!(await editor.wires()).includes(wire));
  await editor.page.keyboard.press('Control+z');
  assert.ok((await editor.wires()).includes(wire));
  await editor.close();
});

test('double-click and Shift+A open a searchable add-menu that places the node at the pointer', async () => {
  const editor = await openEditor();
  const spot = await editor.emptySpot();
  await editor.page.mouse.dblclick(spot.x, spot.y);
  await editor.byTestId('add-search').fill('mse');
  await editor.byTestId('add-search').press('Enter');
  const mse = editor.page.locator('[data-node-kind="MSELoss"]');
  assert.equal(await mse.count(), 1);
  const box = await mse.locator('.node-body').boundingBox();
  assert.ok(Math.abs(box.x - spot.x) < 3 && Math.abs(box.y - spot.y) < 3, `placed at ${box.x},${box.y}, pointer ${spot.x},${spot.y}`);
  await editor.page.mouse.move(spot.x + 300, spot.y - 10);
  await editor.page.keyboard.press('Shift+A');
  await editor.byTestId('add-search').fill('l1');
  await editor.byTestId('add-search').press('Enter');
  assert.equal(await editor.page.locator('[data-node-kind="L1Loss"]').count(), 1);
  await editor.close();
});

test('the palette adds nodes by category', async () => {
  const editor = await openEditor();
  const groups = await editor.page.locator('.palette-group h3').allTextContents();
  assert.deepEqual(groups, ['Data', 'Network', 'Loss', 'Optimizer', 'Training', 'Metrics']);
  await editor.page.locator('[data-palette="AccuracyMetric"]').click();
  assert.equal(await editor.page.locator('[data-node-kind="AccuracyMetric"]').count(), 1);
  assert.equal(await editor.nodeCount(), 9);
  await editor.close();
});

test('Delete removes the selection; Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y undo and redo it', async () => {
  const editor = await openEditor();
  await editor.click(await editor.header('Dataset'));
  assert.ok(await editor.selected('Dataset'));
  await editor.page.keyboard.press('Delete');
  assert.equal(await editor.nodeCount(), 7);
  await editor.page.keyboard.press('Control+z');
  assert.equal(await editor.nodeCount(), 8);
  await editor.page.keyboard.press('Control+Shift+Z');
  assert.equal(await editor.nodeCount(), 7);
  await editor.page.keyboard.press('Control+z');
  await editor.page.keyboard.press('Control+y');
  assert.equal(await editor.nodeCount(), 7);
  await editor.close();
});

test('dragging a node moves it; snap puts it on the grid; undo puts it back', async () => {
  const editor = await openEditor();
  const x0 = await editor.nodeX('Dataset');
  const from = await editor.header('Dataset');
  await editor.drag(from, { x: from.x + 37, y: from.y + 50 });
  const x1 = await editor.nodeX('Dataset');
  assert.ok(x1 > x0 + 20, `${x0} → ${x1}`);
  await editor.page.keyboard.press('Control+z');
  assert.equal(await editor.nodeX('Dataset'), x0);
  await editor.byTestId('snap-toggle').check();
  await editor.drag(from, { x: from.x + 37, y: from.y + 50 });
  assert.equal((await editor.nodeX('Dataset')) % 20, 0);
  await editor.close();
});

test('Shift-drag box-selects; dragging one selected node moves them all', async () => {
  const editor = await openEditor();
  const a = await editor.node('Dataset').boundingBox();
  const b = await editor.node('BatchSampler').boundingBox();
  await editor.drag({ x: a.x - 10, y: a.y - 10 }, { x: b.x + 20, y: b.y + 20 }, { shift: true });
  assert.ok(await editor.selected('Dataset'));
  assert.ok(await editor.selected('BatchSampler'));
  assert.ok(!(await editor.selected('GetBatch')));
  const [x0, x1] = [await editor.nodeX('Dataset'), await editor.nodeX('BatchSampler')];
  const [y0, y1] = [await editor.nodeY('Dataset'), await editor.nodeY('BatchSampler')];
  const from = await editor.header('BatchSampler');
  await editor.drag(from, { x: from.x, y: from.y + 60 });
  assert.deepEqual([await editor.nodeX('Dataset'), await editor.nodeX('BatchSampler')], [x0, x1], 'a vertical drag keeps x');
  const [dy0, dy1] = [(await editor.nodeY('Dataset')) - y0, (await editor.nodeY('BatchSampler')) - y1];
  assert.ok(dy0 > 20 && Math.abs(dy0 - dy1) < 1e-3, `both moved down alike: ${dy0}, ${dy1}`);
  assert.equal(await editor.nodeY('GetBatch'), 0, 'unselected nodes stay');
  await editor.close();
});

test('dragging empty canvas pans, the wheel zooms about the pointer, "." fits the graph', async () => {
  const editor = await openEditor();
  const fitted = await editor.viewTransform();
  const spot = await editor.emptySpot();
  await editor.drag(spot, { x: spot.x + 80, y: spot.y - 30 });
  assert.notEqual(await editor.viewTransform(), fitted);
  // A node of the lower row, well inside the canvas after the pan.
  const header = await editor.header('TrainingStep');
  const before = await editor.node('TrainingStep').locator('.node-body').boundingBox();
  await editor.page.mouse.move(before.x, before.y);
  const panned = await editor.viewTransform();
  await editor.page.mouse.wheel(0, -300);
  await editor.viewMovedFrom(panned);
  const after = await editor.node('TrainingStep').locator('.node-body').boundingBox();
  assert.ok(after.width > before.width * 1.2, `${before.width} → ${after.width}`);
  assert.ok(Math.abs(after.x - before.x) < 2 && Math.abs(after.y - before.y) < 2, 'the point under the pointer stays put');
  await editor.page.keyboard.press('.');
  assert.equal(await editor.viewTransform(), fitted);
  assert.ok(header);
  await editor.close();
});

test('a click on the minimap centres the view there', async () => {
  const editor = await openEditor();
  // Zoomed in: with the whole graph in view the minimap hides.
  const canvas = await editor.byTestId('canvas').boundingBox();
  await editor.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await editor.page.mouse.wheel(0, -600);
  await editor.byTestId('minimap').waitFor({ state: 'visible' });
  const before = await editor.viewTransform();
  const map = await editor.byTestId('minimap').boundingBox();
  await editor.click({ x: map.x + 10, y: map.y + 10 });
  assert.notEqual(await editor.viewTransform(), before);
  await editor.close();
});

test('Fit shows every template whole, the minimap hidden then (it covers no node); zoomed in, it shows', async () => {
  const editor = await openEditor();
  // Zoomed in, part of the graph is out of view: the minimap shows the way; Fit hides it.
  const canvas = await editor.byTestId('canvas').boundingBox();
  await editor.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await editor.page.mouse.wheel(0, -600);
  await editor.byTestId('minimap').waitFor({ state: 'visible' });
  await editor.byTestId('fit-view').click();
  await editor.byTestId('minimap').waitFor({ state: 'hidden' });
  const slugs = await editor.byTestId('templates').locator('option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
  assert.ok(slugs.length >= 6, `${slugs}`);
  for (const slug of slugs) {
    await editor.byTestId('templates').selectOption(slug);
    await editor.byTestId('fit-view').click();
    await editor.frames(2);
    assert.ok(!(await editor.byTestId('minimap').isVisible()), `${slug}: the whole graph in view, no minimap`);
    const nodes = await editor.page.locator('[data-node-id] .node-body').evaluateAll((bodies) =>
      bodies.map((body) => {
        const box = body.getBoundingClientRect();
        return { x: box.x, y: box.y, right: box.right, bottom: box.bottom };
      }),
    );
    for (const node of nodes) {
      assert.ok(node.x >= canvas.x && node.bottom <= canvas.y + canvas.height + 1, `${slug}: every node in view`);
    }
  }
  await editor.close();
});

test('Ctrl+D duplicates; Ctrl+C and Ctrl+V copy through the clipboard, across tabs', async () => {
  const context = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const editor = await openEditor(context);
  await editor.click(await editor.header('SGDOptimizer'));
  await editor.page.keyboard.press('Control+d');
  assert.equal(await editor.page.locator('[data-node-kind="SGDOptimizer"]').count(), 2);
  await editor.click(await editor.header('Network'));
  await editor.page.keyboard.press('Control+c');
  const second = await openEditor(context);
  await second.page.bringToFront();
  await second.click(await second.emptySpot());
  await second.page.keyboard.press('Control+v');
  assert.equal(await second.page.locator('[data-node-kind="Network"]').count(), 2);
  await context.close();
});

test('a hostile paste is refused whole with a reason, at once, and changes nothing', async () => {
  const editor = await openEditor();
  const before = await editor.wires();
  const nodes = await editor.page.locator('[data-node-kind]').count();
  const paste = (text) =>
    editor.page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      const started = performance.now();
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return performance.now() - started;
    }, text);
  const note = editor.byTestId('connection-refused');
  // Tens of megabytes: refused before any parsing, without stalling the page.
  const millis = await paste(' '.repeat(40 << 20));
  await note.waitFor();
  assert.match(await note.textContent(), /the clipboard holds 40\.0 MiB of text/);
  assert.ok(millis < 200, `refused in ${millis.toFixed(0)} ms`);
  // A fragment with a parameter no node has, and one past the page's budget.
  const fragment = (params) =>
    JSON.stringify({ format: 'kindling-nodes', nodes: [{ id: 0, kind: 'Network', pos: { x: 0, y: 0 }, params }], wires: [], next_id: 1 });
  await paste(fragment({ '<img src=x onerror=alert(1)>': 1 }));
  await editor.page.waitForFunction(() => document.querySelector('[data-testid="connection-refused"]')?.textContent.includes('has no parameter'));
  const wide = Array.from({ length: 3 }, () => ({ layer: 'Linear', out_features: 4096 }));
  await paste(fragment({ layers: wide }));
  await editor.page.waitForFunction(() => document.querySelector('[data-testid="connection-refused"]')?.textContent.includes('would not fit in the page'));
  assert.equal(await editor.page.locator('[data-node-kind]').count(), nodes);
  assert.deepEqual(await editor.wires(), before);
  assert.deepEqual(editor.errors, []);
  await editor.close();
});

test('the inspector edits parameters with the right controls, refuses bad values, and undoes', async () => {
  const editor = await openEditor();
  await editor.click(await editor.header('SGDOptimizer'));
  const inspector = editor.byTestId('inspector');
  const lr = inspector.locator('[data-param="learning_rate"]');
  assert.equal(await lr.getAttribute('type'), 'number');
  assert.equal(await inspector.locator('[data-param="nesterov"]').getAttribute('type'), 'checkbox');
  await lr.fill('0.5');
  await lr.press('Tab');
  await editor.node('SGDOptimizer').locator('text=learning_rate = 0.5').waitFor();
  await lr.fill('-1');
  await lr.press('Backspace'); // typing in a field never deletes the node
  await lr.fill('-1');
  await lr.press('Tab');
  await inspector.locator('[data-param-error="learning_rate"]').waitFor();
  assert.match(await inspector.locator('[data-param-error="learning_rate"]').textContent(), /outside/);
  assert.equal(await editor.nodeCount(), 8);
  await editor.node('SGDOptimizer').locator('text=learning_rate = 0.5').waitFor();
  await editor.click(await editor.emptySpot());
  await editor.page.keyboard.press('Control+z');
  await editor.node('SGDOptimizer').locator('text=learning_rate = 0.03').waitFor();
  // Choices are selects.
  await editor.click(await editor.header('CrossEntropyLoss'));
  assert.equal(await inspector.locator('[data-param="reduction"]').evaluate((e) => e.tagName), 'SELECT');
  await editor.close();
});

test('compile errors show as badges on their nodes and the Train button says what blocks it', async () => {
  const editor = await openEditor();
  await editor.click(await editor.header('CrossEntropyLoss'));
  await editor.page.keyboard.press('Delete');
  await editor.node('TrainingStep').locator('[data-testid="node-errors"]').waitFor();
  assert.ok(await editor.byTestId('train-button').isDisabled());
  const step = await editor.nodeId('TrainingStep');
  assert.ok((await editor.byTestId('train-button').getAttribute('title')).includes(`TrainingStep #${step}: input \`loss\` is not connected`));
  await editor.close();
});

test('templates load undoably', async () => {
  const editor = await openEditor();
  await editor.byTestId('templates').selectOption('digits');
  assert.equal(await editor.page.locator('[data-node-kind="DataSplit"]').count(), 1);
  await editor.page.keyboard.press('Control+z');
  assert.equal(await editor.nodeCount(), 8);
  assert.equal(await editor.page.locator('[data-node-kind="DataSplit"]').count(), 0);
  await editor.close();
});

test('Space+drag pans even over a node, and moves no node', async () => {
  const editor = await openEditor();
  const before = await editor.viewTransform();
  const x0 = await editor.nodeX('Network');
  await editor.page.keyboard.down(' ');
  const from = await editor.header('Network');
  await editor.drag(from, { x: from.x + 60, y: from.y + 40 });
  await editor.page.keyboard.up(' ');
  assert.notEqual(await editor.viewTransform(), before);
  assert.equal(await editor.nodeX('Network'), x0);
  await editor.close();
});

test('a two-finger pinch zooms', async () => {
  const editor = await openEditor(env.browser, { hasTouch: true });
  const page = editor.page;
  const before = await editor.node('Network').locator('.node-body').boundingBox();
  const spot = await editor.emptySpot();
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, spread) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [
        { x: spot.x + 100 - spread, y: spot.y - 100, id: 1 },
        { x: spot.x + 100 + spread, y: spot.y - 100, id: 2 },
      ],
    });
  await touch('touchStart', 30);
  for (const spread of [45, 60, 80, 100]) await touch('touchMove', spread);
  await touch('touchEnd', 0);
  const after = await editor.node('Network').locator('.node-body').boundingBox();
  assert.ok(after.width > before.width * 1.5, `${before.width} → ${after.width}`);
  await editor.close();
});

test('the keyboard alone reaches nodes: Tab selects one for the inspector, Delete removes it', async () => {
  const editor = await openEditor();
  const dataset = await editor.nodeId('Dataset');
  await editor.node('Dataset').focus();
  assert.ok(await editor.selected('Dataset'));
  assert.match(await editor.node('Dataset').getAttribute('aria-label'), new RegExp(`Dataset node ${dataset}\\b`));
  assert.equal(await editor.byTestId('inspector').locator('[data-param="kind"]').count(), 1);
  // Tab goes on through the node's ports to the next node.
  await editor.page.keyboard.press('Tab');
  assert.equal(await editor.page.evaluate(() => document.activeElement.getAttribute('data-port')), `${dataset}:dataset`);
  await editor.page.keyboard.press('Tab');
  assert.ok(await editor.selected('BatchSampler'));
  await editor.page.keyboard.press('Delete');
  assert.equal(await editor.page.locator('[data-node-kind="BatchSampler"]').count(), 0);
  await editor.page.keyboard.press('Control+a');
  assert.equal(await editor.page.locator('[data-selected="true"]').count(), 7);
  await editor.close();
});

test('clicking two ports connects them; clicking a connected input leaves its wire alone', async () => {
  const editor = await openEditor();
  const before = await editor.wires();
  await editor.click(await editor.centre(editor.port('Network', 'input')));
  assert.deepEqual(await editor.wires(), before, 'a click is not a drag: nothing detached');
  await editor.page.keyboard.press('Escape');
  await editor.page.locator('[data-palette="AccuracyMetric"]').click();
  await editor.click(await editor.centre(editor.port('GetBatch', 'targets')));
  assert.equal(await editor.node('GetBatch').locator('[data-port$=":targets"]').getAttribute('data-armed'), 'true');
  await editor.click(await editor.centre(editor.port('AccuracyMetric', 'targets')));
  assert.ok((await editor.wires()).includes('GetBatch:targets->AccuracyMetric:targets'));
  await editor.close();
});

test('the keyboard connects ports: Tab to a port, Enter, Tab to another, Enter', async () => {
  const editor = await openEditor();
  await editor.page.locator('[data-palette="AccuracyMetric"]').click();
  const port = (kind, name) => editor.node(kind).locator(`[data-port$=":${name}"]`);
  await port('Network', 'predictions').focus();
  await editor.page.keyboard.press('Enter');
  await port('AccuracyMetric', 'predictions').focus();
  await editor.page.keyboard.press('Enter');
  assert.ok((await editor.wires()).includes('Network:predictions->AccuracyMetric:predictions'));
  // A refused pair says why.
  await port('SGDOptimizer', 'optimizer').focus();
  await editor.page.keyboard.press('Enter');
  await port('AccuracyMetric', 'targets').focus();
  await editor.page.keyboard.press('Enter');
  assert.match(await editor.byTestId('connection-refused').textContent(), /takes a tensor/);
  await editor.close();
});

test('class weights get one number per class, and a switch back to equal weights', async () => {
  const editor = await openEditor();
  await editor.click(await editor.header('CrossEntropyLoss'));
  const weights = editor.byTestId('inspector').locator('[data-param="weight"]');
  assert.equal(await weights.getAttribute('data-classes'), '2');
  await weights.locator('[data-weights-toggle]').check();
  await editor.node('CrossEntropyLoss').locator('text=weight = [1, 1]').waitFor();
  const second = weights.locator('[data-class="1"]');
  await second.fill('2.5');
  await second.press('Tab');
  await editor.node('CrossEntropyLoss').locator('text=weight = [1, 2.5]').waitFor();
  await second.fill('-1');
  await second.press('Tab');
  await editor.byTestId('inspector').locator('[data-param-error="weight"]').waitFor();
  await editor.node('CrossEntropyLoss').locator('text=weight = [1, 2.5]').waitFor();
  await weights.locator('[data-weights-toggle]').uncheck();
  await editor.node('CrossEntropyLoss').locator('text=weight = none').waitFor();
  await editor.close();
});

test('a connected input dragged onto another input moves its wire there, in one undo step', async () => {
  const editor = await openEditor();
  await editor.page.locator('[data-palette="ReduceLROnPlateau"]').click();
  await editor.drag(await editor.centre(editor.port('EpochTracker', 'accuracy')), await editor.centre(editor.port('ReduceLROnPlateau', 'metric')));
  const [moved, kept] = ['CrossEntropyLoss:accuracy->ReduceLROnPlateau:metric', 'CrossEntropyLoss:accuracy->EpochTracker:accuracy'];
  const wires = await editor.wires();
  assert.ok(wires.includes(moved), wires.join());
  assert.ok(!wires.includes(kept), wires.join());
  await editor.page.keyboard.press('Control+z');
  const undone = await editor.wires();
  assert.ok(undone.includes(kept) && !undone.includes(moved));
  await editor.close();
});

test('a chain of DataSplits at the node limit opens, draws and shows the shapes along it', async () => {
  const editor = await openEditor();
  // Added end first: the first shape asked for is the one furthest downstream, which a
  // recursive inference would reach only through 2000 nested calls.
  const count = 2000;
  const nodes = [];
  for (let id = 0; id < count - 1; id++) {
    nodes.push({ id, kind: 'DataSplit', pos: { x: (count - 2 - id) * 260, y: 0 }, params: {} });
  }
  nodes.push({ id: count - 1, kind: 'Dataset', pos: { x: -260, y: 0 }, params: {} });
  const wires = [{ from: { node: count - 1, port: 'dataset' }, to: { node: count - 2, port: 'dataset' } }];
  for (let id = count - 2; id > 0; id--) wires.push({ from: { node: id, port: 'train' }, to: { node: id - 1, port: 'dataset' } });
  const json = JSON.stringify({ nodes, wires, next_id: count });
  await editor.byTestId('import-json').setInputFiles({ name: 'chain.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await editor.waitForNotice('Imported chain.json');
  await editor.page.waitForFunction((n) => document.querySelectorAll('[data-node-id]').length === n, count, { timeout: 60_000 });
  // The last split's output carries a shape (the chain has halved the data away by then).
  const last = editor.page.locator('[data-node-id="0"] [data-port$=":train"]').first();
  assert.match(await last.getAttribute('data-shape'), /× \[2\]/);
  assert.deepEqual(editor.errors, []);
  await editor.close();
});
