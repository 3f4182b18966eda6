// A static file server for dist/, mounted under a sub-path, as a static host would serve it.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** The Content-Security-Policy `cargo xtask build` wrote into `dist/index.html`; the
 * server sends it as a header too, as docs/hosting.md asks hosts to. A build without one is an error. */
export async function policyOf(dist) {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  if (!policy) throw new Error(`${dist}/index.html has no Content-Security-Policy: build it with cargo xtask build`);
  return policy;
}

/** Serves `dist` at `http://127.0.0.1:<port><prefix>`, every response under the build's
 * Content-Security-Policy; resolves to { url, policy, close }. */
export async function serveDist(dist, prefix = '/kindling/') {
  const policy = await policyOf(dist);
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end('outside the sub-path');
      return;
    }
    const relative = normalize(path.slice(prefix.length) || 'index.html');
    if (relative.startsWith('..')) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(join(dist, relative));
      response
        .writeHead(200, {
          'content-type': TYPES[extname(relative)] ?? 'application/octet-stream',
          'content-security-policy': policy,
        })
        .end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, policy, close: () => new Promise((r) => server.close(r)) };
}
