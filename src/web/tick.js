// Yielding to the browser between slices of work (`tick.rs`): after the next frame is painted,
// or after the next task. A module of its own (not inline JS) so that the page's and the
// engine's builds, which both import it, write the same file.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => { const resume = waiting.shift(); if (resume) resume(); };
function next_task(resume) { waiting.push(resume); channel.port2.postMessage(null); }
export function after_next_task() {
  return new Promise((resume) => next_task(resume));
}
export function after(millis) {
  return new Promise((resume) => setTimeout(resume, millis));
}
export function after_next_frame() {
  return new Promise((resume) => {
    if (document.visibilityState === 'hidden') next_task(resume);
    else requestAnimationFrame(() => next_task(resume));
  });
}
