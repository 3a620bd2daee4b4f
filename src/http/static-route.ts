import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../package-root.ts';
import { CORS_HEADER_LIST, sendError } from './respond.ts';

// hls.js plays our converted streams in browsers without native HLS (Chromium, Firefox):
// served by us, never from a CDN (a receiver on a LAN may have no internet). The light
// build: our streams have one muxed rendition, and subtitles travel as WebVTT tracks.
const HLS_JS = fileURLToPath(import.meta.resolve('hls.js/dist/hls.light.min.js'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// The browser-safe modules the pages import from the library (the protocol folder, the
// error classes, the display helpers: a lint rule keeps Node out of them), and nothing
// else of dist/src.
const SHARED_MODULES = new Set(['src/errors.js', 'src/display.js']);
const PAGE_MODULE = /^(receiver\/src|web\/src|src\/protocol)\/[a-z0-9-]+\.js(\.map)?$/;

/**
 * The URL paths of the two pages, mapped to files: `/` (the web page, from `web/`),
 * `/receiver/` (the receiver app, from `receiver/`), their CSS, and `/app/…` (their
 * compiled modules, from `dist/`). Anything else is 404: the table is closed, so no
 * path in a URL can reach another file.
 */
export function staticFileFor(pathname: string, root = PACKAGE_ROOT): string | undefined {
  if (pathname === '/' || pathname === '/index.html') return path.join(root, 'web', 'index.html');
  if (pathname === '/web/web.css') return path.join(root, 'web', 'web.css');
  if (pathname === '/receiver' || pathname === '/receiver/' || pathname === '/receiver/index.html') return path.join(root, 'receiver', 'index.html');
  if (pathname === '/receiver/receiver.css') return path.join(root, 'receiver', 'receiver.css');
  if (pathname === '/app/hls.js') return HLS_JS;
  if (!pathname.startsWith('/app/')) return undefined;
  const relative = pathname.slice('/app/'.length);
  if (SHARED_MODULES.has(relative) || PAGE_MODULE.test(relative)) return path.join(root, 'dist', relative);
  return undefined;
}

interface CachedFile {
  readonly body: Buffer;
  readonly etag: string;
  readonly mtimeMs: number;
}

/** Serves the receiver's files, read once and kept while unchanged on disk (a rebuild is picked up). */
export class StaticFiles {
  readonly #cache = new Map<string, CachedFile>();
  readonly #root: string;

  constructor(root = PACKAGE_ROOT) {
    this.#root = root;
  }

  /** Answers the request if its path is one of the app's files; returns false otherwise. */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    const file = staticFileFor(pathname, this.#root);
    if (!file) return false;
    if (pathname === '/receiver') {
      response.writeHead(308, { Location: '/receiver/' + (request.url?.includes('?') ? request.url.slice(request.url.indexOf('?')) : '') });
      response.end();
      return true;
    }
    const cached = await this.#read(file);
    if (!cached) {
      sendError(response, 'NOT_FOUND', file.includes(`${path.sep}dist${path.sep}`) ? 'the pages are not built: run npm run build' : 'no such file');
      return true;
    }
    const headers = [...CORS_HEADER_LIST, 'Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream', 'ETag', cached.etag, 'Cache-Control', 'no-cache', 'X-Content-Type-Options', 'nosniff'];
    if (request.headers['if-none-match'] === cached.etag) {
      response.writeHead(304, headers);
      response.end();
      return true;
    }
    headers.push('Content-Length', String(cached.body.length));
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : cached.body);
    return true;
  }

  async #read(file: string): Promise<CachedFile | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(file)).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.#cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached;
    const body = await fs.readFile(file);
    const fresh = { body, mtimeMs, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    this.#cache.set(file, fresh);
    return fresh;
  }
}
