// Whether an element is on (or near) the screen (`in_view.rs`): an IntersectionObserver's
// answers, passed on. A module of its own (not inline JS), as CSP `script-src 'self'` asks.
export function watch_in_view(element, margin, changed) {
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) changed(entry.isIntersecting);
  }, { rootMargin: margin });
  observer.observe(element);
  return () => observer.disconnect();
}
