import fs from 'node:fs';
import http from 'node:http';
import test from 'ava';
import { eventually, patternBytes, startMediaServer } from './helpers/media-server.ts';
import { childProcesses } from './helpers/processes.ts';
import { abortedDownload, request } from './helpers/raw-http.ts';

const openDescriptors = (): number => fs.readdirSync('/proc/self/fd').length;

/** The fd count once the server has no connection left (sockets close asynchronously). */
async function settledDescriptors(server: http.Server): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const connections = await new Promise<number>((resolve, reject) =>
      server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
    if (connections === 0) return openDescriptors();
    if (Date.now() > deadline) throw new Error(`${connections} connections still open after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Serial: the fd count is the whole process's, so nothing else may run meanwhile.
test.serial('1,000 aborted downloads leave the fd count where it was', async (t) => {
  const size = 8 * 1024 * 1024;
  const server = await startMediaServer(t, { 'big.mp4': patternBytes(size) }, { library: { watch: false } });
  const path = server.mediaPath('big.mp4');
  // Warm up: the descriptor cache opens the file once and keeps it.
  t.is((await request(server.origin, path, { headers: { range: 'bytes=0-0' } })).status, 206);
  // The library's folder lister (a child process, with a socket to it) ends 2 s after the scan: counted before, gone after.
  await eventually(() => childProcesses() === 0, 10_000, 'the folder lister ended');
  const before = await settledDescriptors(server.server.httpServer);

  // What a player does while seeking: open-ended ranges from everywhere, aborted,
  // 20 at a time; every fifth one is aborted before the response even starts.
  for (let batch = 0; batch < 50; batch++) {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const n = batch * 20 + i;
        const start = (n * 7919 * 4096) % size;
        return abortedDownload(server.origin, path, `bytes=${start}-`, n % 5 === 0);
      }),
    );
  }
  t.is(await settledDescriptors(server.server.httpServer), before);
  t.is(server.server.openDescriptors, 1);

  // And the file is still served correctly afterwards.
  const check = await request(server.origin, path, { headers: { range: 'bytes=100-199' } });
  t.deepEqual(check.body, patternBytes(size).subarray(100, 200));
});

test.serial('Chromium-like seeking: parallel open-ended ranges, aborted and reopened, all get their bytes', async (t) => {
  const size = 4 * 1024 * 1024;
  const bytes = patternBytes(size);
  const server = await startMediaServer(t, { 'film.mp4': bytes }, { library: { watch: false } });
  const path = server.mediaPath('film.mp4');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  t.teardown(() => agent.destroy());
  // bytes=0- aborted, the end (moov at the end), back to the start, then seeks.
  await abortedDownload(server.origin, path, 'bytes=0-', false);
  const ranges = ['bytes=4000000-', 'bytes=0-65535', 'bytes=2000000-', 'bytes=1000000-1065535', 'bytes=3000000-'];
  const results = await Promise.all(ranges.map((range) => request(server.origin, path, { headers: { range }, agent })));
  for (const [index, response] of results.entries()) {
    const [, from, to] = /^bytes (\d+)-(\d+)\//.exec(response.headers['content-range']!)!;
    t.is(response.status, 206, ranges[index]);
    // Buffer.equals: ava's deepEqual walks megabytes element by element.
    t.true(response.body.equals(bytes.subarray(Number(from), Number(to) + 1)), `bytes of ${ranges[index]}`);
  }
});

test.serial('downloads running beside hundreds of aborted ones get exactly their bytes (read buffers are reused)', async (t) => {
  const size = 6 * 1024 * 1024;
  const bytes = patternBytes(size);
  const server = await startMediaServer(t, { 'film.mp4': bytes }, { library: { watch: false } });
  const path = server.mediaPath('film.mp4');
  const whole = Array.from({ length: 8 }, (_, i) => {
    const from = i * 65_536 + i;
    return request(server.origin, path, { headers: { range: `bytes=${from}-` } }).then((response) => ({ from, response }));
  });
  const aborted = Array.from({ length: 300 }, (_, i) =>
    abortedDownload(server.origin, path, `bytes=${(i * 7919 * 4096) % (size - 4096)}-`, i % 3 === 0),
  );
  const [results] = await Promise.all([Promise.all(whole), Promise.all(aborted)]);
  for (const { from, response } of results) {
    t.is(response.status, 206);
    t.true(response.body.equals(bytes.subarray(from)), `bytes from ${from}`);
  }
});
