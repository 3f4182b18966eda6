// End to end: a fuzzer of the page. Seeded, generated graph files near every limit — the most
// nodes and wires, the widest layers, long and hostile names, the largest sweeps, CSV datasets
// with the most columns, extreme numbers, and mutations of a real graph — each opened through
// Import… and, where it opens, as a share link in a tab of its own; then CSV files at the
// Dataset's limits (256 columns, 20 000 rows, a row of a million fields, 500 000 blank lines,
// ±1e308, hostile column names, past 16 MB, not UTF-8), each picked. Asserts, for every case: no
// page error, the page answering (a pan's frames within a bound once the graph is drawn), and
// the user's own autosaved graph intact. Prints the figures (cases, time, worst frame) that
// docs/reliability.md quotes. The catalogue (kinds and their ports) is read from the page
// itself: a graph with one node of each kind in the palette, its ports from the DOM.
// KINDLING_PAGE_FUZZ_SEED picks another seed (default 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORT } from './browser.mjs';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();
const SEED = Number(process.env.KINDLING_PAGE_FUZZ_SEED ?? 1);
/** The longest frame a pan may take once a case is drawn (a 2000-node graph's frames, drawn
 * whole while panning, are the slowest; see docs/performance.md). */
const WORST_FRAME_MS = 1500;

/** A seeded generator (mulberry32). */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n) => Math.floor(next() * n);
  return { next, below, pick: (items) => items[below(items.length)] };
}

const HOSTILE_TEXTS = [
  '<img src=x onerror=alert(1)>',
  '"; DROP TABLE graphs; --',
  '{{MODEL}} 50%d',
  '‮evil‬ RTL',
  '🔥'.repeat(16),
  'x'.repeat(64),
  '\u0000\u0007\u001b[31m',
  '../../etc/passwd',
];
const EXTREME_NUMBERS = [0, -0, 1e-308, 1e308, -1e308, 2 ** 53, -(2 ** 53), 4096, 100_000, 1e-12, 0.5, -1, 1e6];

/** Reads the catalogue from the page: every kind in the palette, with its input and output
 * ports (from a graph of one node per kind). */
async function readCatalogue(kindling) {
  const kinds = await kindling.page.$$eval('[data-palette]', (items) => items.map((item) => item.dataset.palette));
  const nodes = kinds.map((kind, id) => ({ id, kind, pos: { x: (id % 8) * 300, y: Math.floor(id / 8) * 300 }, params: {} }));
  await importGraph(kindling, 'catalogue.json', { nodes, wires: [], next_id: nodes.length });
  await kindling.page.waitForFunction((n) => document.querySelectorAll('[data-node-id]').length === n, nodes.length);
  const ports = await kindling.page.$$eval('[data-port]', (elements) =>
    elements.map((element) => [element.dataset.port, element.dataset.portDir]),
  );
  return kinds.map((kind, id) => ({
    kind,
    inputs: ports.filter(([port, dir]) => port.startsWith(`${id}:`) && dir === 'in').map(([port]) => port.split(':')[1]),
    outputs: ports.filter(([port, dir]) => port.startsWith(`${id}:`) && dir === 'out').map(([port]) => port.split(':')[1]),
  }));
}

/** Opens `graph` (a graph file's `graph` part) through Import…; waits for the page's answer. */
async function importGraph(kindling, name, graph, sweep) {
  const file = sweep
    ? { format: 'kindling-experiment', version: 2, graph: { ...graph, sweep } }
    : { format: 'kindling-experiment', version: 1, graph };
  const buffer = Buffer.from(JSON.stringify(file));
  await kindling.byTestId('import-json').setInputFiles({ name, mimeType: 'application/json', buffer });
  await kindling.page.waitForFunction((name) => document.querySelector('[data-testid="notice"]')?.textContent.includes(name), name, {
    timeout: 120_000,
  });
  return buffer.length;
}

/** Random wires from outputs to free inputs. */
function wire(random, nodes, catalogue, count) {
  const byKind = new Map(catalogue.map((entry) => [entry.kind, entry]));
  const fed = new Set();
  const wires = [];
  for (let tries = 0; wires.length < count && tries < count * 4; tries++) {
    const from = random.pick(nodes);
    const to = random.pick(nodes);
    const output = random.pick(byKind.get(from.kind).outputs);
    const input = random.pick(byKind.get(to.kind).inputs);
    if (!output || !input || from.id === to.id || fed.has(`${to.id}:${input}`)) continue;
    fed.add(`${to.id}:${input}`);
    wires.push({ from: { node: from.id, port: output }, to: { node: to.id, port: input } });
  }
  return wires;
}

/** The generated cases: [name, graph, sweep?]. */
function cases(random, catalogue, defaultGraph) {
  const kinds = catalogue.filter((entry) => entry.inputs.length + entry.outputs.length > 0);
  const at = (id, spread) => ({ x: (random.next() - 0.5) * spread, y: (random.next() - 0.5) * spread });
  const randomGraph = (count, wires, spread) => {
    const nodes = Array.from({ length: count }, (_, id) => ({ id, kind: random.pick(kinds).kind, pos: at(id, spread), params: {} }));
    return { nodes, wires: wire(random, nodes, catalogue, wires), next_id: count };
  };
  const clone = () => JSON.parse(JSON.stringify(defaultGraph));
  const network = (graph) => graph.nodes.find((node) => node.kind === 'Network');
  const out = [];
  out.push(['limits.json', randomGraph(2000, 8000, 2_000_000)]);
  out.push(['many-wires-close.json', randomGraph(600, 2400, 3000)]);
  out.push(['far-apart.json', randomGraph(40, 80, 1.999e6)]);
  {
    const graph = clone();
    network(graph).params.layers = [
      ...Array.from({ length: 6 }, () => [{ layer: 'Linear', out_features: 4096 }, { layer: 'ReLU' }]).flat(),
      { layer: 'Linear', out_features: 2 },
    ];
    out.push(['widest.json', graph]);
  }
  {
    const graph = clone();
    network(graph).params.layers = Array.from({ length: 1024 }, (_, index) =>
      index % 2 ? { layer: 'ReLU' } : { layer: 'Linear', out_features: 1 + random.below(64) },
    );
    out.push(['deepest.json', graph]);
  }
  for (const text of HOSTILE_TEXTS) {
    const graph = clone();
    const dataset = graph.nodes.find((node) => node.kind === 'Dataset');
    dataset.params.kind = 'csv';
    dataset.params.target = text;
    dataset.params.features = Array.from({ length: 256 }, (_, index) => `${text.slice(0, 40)}${index}`).join(',');
    out.push([`names-${out.length}.json`, graph]);
  }
  {
    const graph = clone();
    const sgd = graph.nodes.find((node) => node.kind === 'SGDOptimizer');
    const values = Array.from({ length: 64 }, (_, index) => (0.001 * (index + 1)).toFixed(3)).join(', ');
    const grid = { params: [{ node: sgd.id, param: 'learning_rate', values }, { node: sgd.id, param: 'momentum', values: '0, 0.5, 0.9, 0.95, 0.99' }], search: 'grid', pruning: 'off' };
    out.push(['largest-grid.json', graph, grid]);
    const tooLarge = { ...grid, params: [...grid.params, { node: sgd.id, param: 'weight_decay', values: '0, 0.1, 0.01, 0.001' }] };
    out.push(['grid-over-the-limit.json', clone(), tooLarge]);
    out.push(['random-search.json', clone(), { ...grid, search: { random: { trials: 1000, seed: 4 } }, pruning: { asha: { min_epochs: 1, eta: 10 } } }]);
  }
  for (let mutation = 0; mutation < 10; mutation++) {
    const graph = clone();
    for (let change = 0; change < 4; change++) {
      const node = random.pick(graph.nodes);
      const keys = Object.keys(node.params);
      if (keys.length === 0) continue;
      const key = random.pick(keys);
      node.params[key] = random.pick([random.pick(EXTREME_NUMBERS), random.pick(HOSTILE_TEXTS), [], {}, null, true, `${node.params[key]}`]);
    }
    if (random.next() < 0.3) graph.wires.push({ ...random.pick(graph.wires) });
    if (random.next() < 0.3) random.pick(graph.nodes).pos = { x: random.pick(EXTREME_NUMBERS), y: 0 };
    out.push([`mutated-${mutation}.json`, graph]);
  }
  return out;
}

/** Generated CSV files at the limits of what a Dataset reads: [name, text]. */
function csvCases(random) {
  const row = (count, value) => Array.from({ length: count }, (_, index) => value(index)).join(',');
  const table = (columns, rows, value) =>
    [row(columns, (index) => (index === columns - 1 ? 'label' : `c${index}`)), ...Array.from({ length: rows }, (_, r) => row(columns, (index) => (index === columns - 1 ? `k${r % 3}` : value(r, index))))].join('\n');
  const out = [];
  out.push(['widest.csv', table(256, 60, () => (random.next() * 10).toFixed(3))]);
  out.push(['longest.csv', table(4, 20_000, (r, index) => `${(r % 97) * 0.1 + index}`)]);
  out.push(['a-million-fields.csv', `a,b,label\n1,2,x\n${'7,'.repeat(500_000)}8\n3,4,y\n`]);
  out.push(['blank-lines.csv', `a,b,label\n1,2,x${'\n'.repeat(500_000)}3,4,y\n`]);
  out.push(['extremes.csv', table(3, 200, (r) => random.pick(EXTREME_NUMBERS) * (r % 2 ? 1 : -1))]);
  out.push(['hostile-names.csv', [HOSTILE_TEXTS.map((text, index) => JSON.stringify(`${text}${index}`)).join(','), ...Array.from({ length: 40 }, (_, r) => row(HOSTILE_TEXTS.length, (index) => (index === HOSTILE_TEXTS.length - 1 ? `k${r % 2}` : r * index)))].join('\n')]);
  out.push(['too-large.csv', `a,b,label\n${'1,2,x\n'.repeat(2_900_000)}`]);
  out.push(['not-utf8.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a])]);
  return out;
}

/** Frame intervals while the canvas is panned by a drag; returns the longest and the p95. */
async function panFrames(kindling) {
  const page = kindling.page;
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__frames.length < 400) window.__frameLoop = requestAnimationFrame(tick);
    };
    window.__frameLoop = requestAnimationFrame(tick);
  });
  const box = await kindling.byTestId('canvas').boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  // Space and drag pans, over nodes too.
  await page.keyboard.down(' ');
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 180, y + 90, { steps: 12 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  await kindling.frames(3);
  const frames = await page.evaluate(() => {
    cancelAnimationFrame(window.__frameLoop);
    return window.__frames.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  return { worst: sorted.at(-1) ?? 0, p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0 };
}

test('generated graphs and links near every limit open without a page error, keep the page answering, and leave autosave intact', { timeout: 1_800_000 }, async () => {
  const started = Date.now();
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  const kindling = await env.open({ context, query: '?backend=cpu' });
  const page = kindling.page;
  // The user's own graph, autosaved: it must come through every case as it is.
  await kindling.setParam('EpochTracker', 'total_epochs', '321');
  await kindling.autosaved();
  const ownId = await page.evaluate(() => sessionStorage.getItem('kindling.tab'));
  const ownText = await page.evaluate((id) => localStorage.getItem(`kindling.graph.${id}`), ownId);
  assert.ok(ownText, "the user's graph is autosaved");
  const [download] = await Promise.all([page.waitForEvent('download'), kindling.byTestId('export-json').click()]);
  const defaultGraph = JSON.parse(await (await download.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString())).graph;
  assert.ok(JSON.stringify(defaultGraph).includes('321'), 'the export holds the edit');

  const catalogue = await readCatalogue(kindling);
  assert.ok(catalogue.length >= 20 && catalogue.every((entry) => entry.inputs.length + entry.outputs.length > 0), `the palette lists ${catalogue.length} kinds, each with ports`);
  const random = generator(SEED);
  const generated = cases(random, catalogue, defaultGraph);
  const figures = [];
  for (const [name, graph, sweep] of generated) {
    const opening = Date.now();
    const bytes = await importGraph(kindling, name, graph, sweep);
    const notice = (await kindling.notice()).slice(0, 100);
    const opened = Date.now() - opening;
    await kindling.frames(2);
    const frames = await panFrames(kindling);
    // Where the case opened, its share link opens in a tab of its own.
    let link = 'not opened';
    if (notice.startsWith('Imported')) {
      await kindling.byTestId('share-button').click();
      const shared = await page
        .waitForFunction(() => document.querySelector('[data-testid="share-link"]')?.value.includes('#g='), null, { timeout: 5_000 })
        .then(() => kindling.byTestId('share-link').inputValue())
        .catch(async () => `refused: ${(await kindling.notice()).slice(0, 60)}`);
      if (shared.includes('#g=')) {
        const tab = await env.open({ context, url: shared, ready: false });
        await tab.page.waitForFunction(() => location.hash === '', null, { timeout: 120_000 });
        await tab.frames(3);
        assert.deepEqual(tab.errors, [], `${name} as a link: no page error`);
        link = `${shared.length} characters`;
        await tab.page.close();
      } else {
        link = shared;
      }
    }
    assert.deepEqual(kindling.errors, [], `${name}: no page error`);
    assert.ok(frames.worst <= WORST_FRAME_MS, `${name}: the longest frame of a pan took ${frames.worst.toFixed(0)} ms`);
    const autosave = await page.locator('[data-testid="document-bar"]').getAttribute('data-autosave');
    assert.notEqual(autosave, 'off', `${name}: autosave still works`);
    figures.push({ name, bytes, opened, notice, link, ...frames });
  }
  // CSV files at the Dataset's limits, picked for the default graph's Dataset.
  await importGraph(kindling, 'for-csv.json', defaultGraph);
  await kindling.selectNode('Dataset');
  await page.locator('[data-testid="inspector"] [data-param="kind"]').selectOption('csv');
  for (const [name, text] of csvCases(random)) {
    const opening = Date.now();
    const buffer = Buffer.isBuffer(text) ? text : Buffer.from(text);
    await kindling.selectNode('Dataset');
    await kindling.byTestId('dataset-file').setInputFiles({ name, mimeType: 'text/csv', buffer });
    await kindling.waitForNotice(name, { timeout: 120_000 });
    const notice = (await kindling.notice()).slice(0, 100);
    const opened = Date.now() - opening;
    const frames = await panFrames(kindling);
    assert.deepEqual(kindling.errors, [], `${name}: no page error`);
    assert.ok(frames.worst <= WORST_FRAME_MS, `${name}: the longest frame of a pan took ${frames.worst.toFixed(0)} ms`);
    const autosave = await page.locator('[data-testid="document-bar"]').getAttribute('data-autosave');
    assert.notEqual(autosave, 'off', `${name}: autosave still works`);
    figures.push({ name, bytes: buffer.length, opened, notice, link: 'a file', ...frames });
  }
  // The user's graph: saved as it was (under Recent graphs, or kept aside past the recent limit).
  const kept = await page.evaluate(
    (id) => localStorage.getItem(`kindling.graph.${id}`) ?? localStorage.getItem(`kindling.unreadable.${id}`),
    ownId,
  );
  assert.equal(kept, ownText, "the user's own graph is intact");
  const seconds = (Date.now() - started) / 1000;
  const worst = figures.reduce((most, figure) => (figure.worst > most.worst ? figure : most));
  console.log(`page fuzzer, seed ${SEED}: ${figures.length} cases in ${seconds.toFixed(0)} s; worst pan frame ${worst.worst.toFixed(0)} ms (${worst.name})`);
  for (const figure of figures) {
    console.log(
      `  ${figure.name}: ${(figure.bytes / 1000).toFixed(1)} kB, answered in ${figure.opened} ms, pan worst ${figure.worst.toFixed(0)} ms ` +
        `p95 ${figure.p95.toFixed(0)} ms, link ${figure.link}; “${figure.notice}”`,
    );
  }
  await context.close();
});
