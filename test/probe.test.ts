import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { probeMediaUrl } from '../src/media/probe.ts';
import { UnplayableMediaError } from '../src/errors.ts';
import { patternBytes, startMediaServer } from './helpers/media-server.ts';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A loopback HTTP server for one test, recording the method and Range of each request. */
async function startOrigin(t: ExecutionContext, handler: Handler): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.range ?? ''}`.trim());
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())).then(() => server.closeAllConnections()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('a file of the media server: type, length, ranges and a title from the name', async (t) => {
  const media = await startMediaServer(t, { 'Films/Big Buck Bunny.mp4': patternBytes(12_345) }, { library: { watch: false } });
  const url = media.server.mediaUrl(media.item('Films/Big Buck Bunny.mp4'));
  const probed = await probeMediaUrl(url);
  t.like(probed, { url, contentType: 'video/mp4', kind: 'video', length: 12_345, acceptsRanges: true, title: 'Big Buck Bunny' });
});

test('a server without HEAD is asked with a one-byte ranged GET, and a film is not downloaded', async (t) => {
  let bytesSent = 0;
  const { origin, seen } = await startOrigin(t, (request, response) => {
    if (request.method === 'HEAD') return response.writeHead(405).end();
    // Ignores Range and streams "a film": the probe must hang up after the headers.
    response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(64 * 1024 * 1024) });
    const chunk = Buffer.alloc(64 * 1024);
    const pump = (): void => {
      while (!response.destroyed && bytesSent < 64 * 1024 * 1024) {
        bytesSent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
    };
    pump();
  });
  const probed = await probeMediaUrl(`${origin}/radio/Morning%20Show.mp3`);
  t.like(probed, { contentType: 'audio/mpeg', kind: 'audio', length: 64 * 1024 * 1024, acceptsRanges: false, title: 'Morning Show' });
  t.deepEqual(seen, ['HEAD /radio/Morning%20Show.mp3', 'GET /radio/Morning%20Show.mp3 bytes=0-0']);
  t.true(bytesSent < 16 * 1024 * 1024, `the probe read ${bytesSent} bytes`);
});

test('a generic type is decided by the name, after redirects', async (t) => {
  const { origin } = await startOrigin(t, (request, response) => {
    if (request.url === '/latest') return response.writeHead(302, { location: '/files/Concert.mkv' }).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '999', 'accept-ranges': 'bytes' }).end();
  });
  t.like(await probeMediaUrl(`${origin}/latest`), { contentType: 'video/x-matroska', kind: 'video', length: 999, acceptsRanges: true, title: 'Concert' });
  t.like(await probeMediaUrl(`${origin}/live/index.m3u8`), { contentType: 'application/vnd.apple.mpegurl', acceptsRanges: true });
});

test('what cannot play is refused with ERR_UNPLAYABLE and a reason in words', async (t) => {
  const { origin } = await startOrigin(t, (request, response) => {
    if (request.url === '/page') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end();
    if (request.url === '/mystery') return response.writeHead(200).end();
    response.writeHead(404).end();
  });
  const refused = async (url: string, reason: RegExp): Promise<void> => {
    const error = await t.throwsAsync(probeMediaUrl(url, { timeoutMs: 2000 }), { instanceOf: UnplayableMediaError });
    t.is(error.code, 'ERR_UNPLAYABLE');
    t.is(error.url, url);
    t.regex(error.message, reason);
  };
  await refused(`${origin}/page`, /cannot play text\/html/);
  await refused(`${origin}/mystery`, /did not say what it is/);
  await refused(`${origin}/gone.mp4`, /HTTP 404/);
  await refused('ftp://nas.local/film.mp4', /only fetches http and https/);
  await refused('not a url', /not a URL/);

  // A port nobody listens on: take a free one and close it again.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await refused(`http://127.0.0.1:${port}/film.mp4`, /cannot be reached \(ECONNREFUSED\)/);
});

test('a server that never answers is refused at the deadline', async (t) => {
  const { origin } = await startOrigin(t, () => {
    // Never answers; the server's teardown closes the socket.
  });
  const started = performance.now();
  const error = await t.throwsAsync(probeMediaUrl(`${origin}/film.mp4`, { timeoutMs: 300 }), { instanceOf: UnplayableMediaError });
  t.regex(error.message, /did not answer in time/);
  t.true(performance.now() - started < 5000);
});
