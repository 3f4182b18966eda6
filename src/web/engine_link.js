// The page's end of the channel to the engine (`engine_link.rs`): a module worker, or the same
// engine on the page's thread where no worker can start.
// `startHere`: where the page's module has the engine compiled in, starts it (else the
// fallback imports the engine's own bundle). `onTrouble(kind, why)`: `why` is what the browser
// said, or one of Kindling's own reasons as a code that `engine_link.rs` words for the page
// (`#no-workers`, `#worker-failed`, `#unreadable`).
export function start_engine(base, onMessage, onTrouble, startHere) {
  // `early`: what was posted before the engine first spoke, for a fallback to hear again
  // (a worker whose script failed to load never heard it).
  const engine = { where: 'worker', worker: null, page: null, early: [], up: false };
  const hear = (data) => {
    engine.up = true;
    engine.early = [];
    onMessage(new Uint8Array(data));
  };
  const onPage = (why) => {
    engine.where = 'page';
    onTrouble('page', why);
    let deliver = null;
    const waiting = [];
    globalThis.kindlingPort = {
      send(bytes) { hear(bytes); },
      listen(handler) { deliver = handler; for (const bytes of waiting.splice(0)) handler(bytes); },
    };
    engine.page = { post(bytes) { if (deliver) deliver(bytes); else waiting.push(bytes); } };
    for (const bytes of engine.early.splice(0)) engine.page.post(bytes);
    if (startHere) {
      startHere();
      return;
    }
    import(base + 'kindling-engine.js')
      .then((engineModule) => engineModule.default())
      .catch((error) => onTrouble('failed', String(error && error.message || error)));
  };
  const startWorker = () => {
    engine.up = false;
    let worker;
    try {
      worker = new Worker(base + 'engine-worker.js', { type: 'module', name: 'kindling-engine' });
    } catch (error) {
      onPage(String(error && error.message || error));
      return;
    }
    engine.worker = worker;
    // A worker replaced after a crash may still have events queued: they are not heard.
    worker.onmessage = (event) => { if (engine.worker === worker) hear(event.data); };
    worker.onmessageerror = () => { if (engine.worker === worker) onTrouble('crashed', '#unreadable'); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (engine.worker !== worker) return;
      const why = event.message || '#worker-failed';
      worker.terminate();
      engine.worker = null;
      if (!engine.up) onPage(why);
      else onTrouble('crashed', why);
    };
  };
  if (typeof Worker === 'undefined') onPage('#no-workers');
  else startWorker();
  return {
    post(bytes) {
      if (!engine.up && engine.where === 'worker') engine.early.push(bytes.slice());
      if (engine.worker) engine.worker.postMessage(bytes, [bytes.buffer]);
      else if (engine.page) engine.page.post(bytes);
      else engine.early.push(bytes);
    },
    where() { return engine.where; },
    restart() {
      if (engine.where !== 'worker') return false;
      if (engine.worker) engine.worker.terminate();
      engine.worker = null;
      startWorker();
      return true;
    },
  };
}
