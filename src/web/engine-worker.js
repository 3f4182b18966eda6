// Kindling's engine in a dedicated (module) worker: loads the engine's WebAssembly (trunk builds
// it as `kindling-engine.js` and `kindling-engine_bg.wasm`, beside this file) and hands it the
// page's commands through `kindlingPort`. Commands that come before the engine is up wait here,
// in order. A failure to load is rethrown, so the page's `error` listener hears it.
import init from './kindling-engine.js';

const waiting = [];
let deliver = null;
self.onmessage = (event) => {
  if (deliver) deliver(event.data);
  else waiting.push(event.data);
};
self.kindlingPort = {
  send(bytes) {
    self.postMessage(bytes, [bytes.buffer]);
  },
  listen(handler) {
    deliver = handler;
    for (const data of waiting.splice(0)) handler(data);
  },
};
init().catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
