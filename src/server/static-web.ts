import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Content Security Policy of the viewer: everything from this server only (no CDN, no network
 * beyond it); WebAssembly compilation for the viewer's decoders; inline styles for NiiVue and the
 * report iframe; blob: and data: images for canvases.
 */
export const VIEWER_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "worker-src 'self' blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/** A file response (streamed) with its type and length. */
export function fileResponse(path: string, type: string, extra: Record<string, string> = {}): Response {
  const size = statSync(path).size;
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { 'content-type': type, 'content-length': String(size), ...extra } });
}

/**
 * Serves the built viewer (web/dist) for any path outside /api: a file that exists under the folder,
 * else index.html (the page routes by its hash). A path that normalises outside the folder is
 * served index.html too, never a file outside. Without a built viewer, a page says how to build it.
 */
export function webResponse(webDir: string, urlPath: string): Response {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    return new Response('<!doctype html><title>csf-net</title><p>The web viewer is not built: run <code>npm run build</code>. The API is at /api.</p>', {
      status: 503,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': VIEWER_CSP },
    });
  }
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  } catch {
    rel = '';
  }
  const candidate = join(webDir, rel);
  const inside = candidate.startsWith(webDir + sep);
  const path = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : index;
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const cache = path === index ? 'no-cache' : 'public, max-age=3600';
  return fileResponse(path, type, { 'content-security-policy': VIEWER_CSP, 'cache-control': cache });
}
