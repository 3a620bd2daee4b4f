import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { selfSignedCertificate } from '../../src/simulator/certificate.ts';

/** A plain file server over a folder: what a device fetches from in the media-truth tests. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>` (https with `selfSigned`). */
  readonly origin: string;
  /** Every path asked for, in order. */
  readonly requests: string[];
}

/**
 * Serves `dir` on a free loopback port, stopped when the test ends, with byte ranges
 * (as a NAS does; players seek with them). `/redirect/<n>/<path>` answers 302 to
 * `/redirect/<n-1>/<path>`, and `/redirect/0/<path>` to `/<path>`; a missing file is a 404.
 * With `selfSigned`, HTTPS with a certificate nobody vouches for.
 */
export async function startStaticServer(t: ExecutionContext, dir: string, options: { selfSigned?: boolean } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(url.pathname);
    void serve(dir, url.pathname, request.headers.range, response).catch(() => response.destroy());
  };
  const server = options.selfSigned ? https.createServer(await selfSignedCertificate('127.0.0.1'), handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket: Socket) => t.teardown(() => socket.destroy()));
  const { port } = server.address() as AddressInfo;
  return { origin: `${options.selfSigned ? 'https' : 'http'}://127.0.0.1:${port}`, requests };
}

async function serve(dir: string, pathname: string, range: string | undefined, response: http.ServerResponse): Promise<void> {
  const hop = /^\/redirect\/(\d+)\/(.*)$/.exec(pathname);
  if (hop) {
    const left = Number(hop[1]);
    response.writeHead(302, { location: left === 0 ? `/${hop[2]!}` : `/redirect/${left - 1}/${hop[2]!}` }).end();
    return;
  }
  const file = path.join(dir, decodeURIComponent(pathname));
  const bytes = await fs.readFile(file).catch(() => undefined);
  if (!bytes || !file.startsWith(dir)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const type = file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'application/octet-stream';
  const asked = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
  if (!asked) {
    response.writeHead(200, { 'content-type': type, 'content-length': bytes.length, 'accept-ranges': 'bytes' }).end(bytes);
    return;
  }
  const start = Number(asked[1]);
  const end = Math.min(asked[2] ? Number(asked[2]) : bytes.length - 1, bytes.length - 1);
  if (start >= bytes.length) {
    response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    return;
  }
  response.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'accept-ranges': 'bytes' });
  response.end(bytes.subarray(start, end + 1));
}
