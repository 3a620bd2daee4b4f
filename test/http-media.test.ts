import test from 'ava';
import { eventually, patternBytes, startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const SIZE = 10_000;
const bytes = patternBytes(SIZE);
const files = { 'clip.mp4': bytes, 'empty.mp3': new Uint8Array(), "Tom's (Best) Mix.mp3": new Uint8Array([1]) };

test('GET without Range sends the whole file with validators and CORS', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const response = await request(origin, mediaPath('clip.mp4'));
  t.is(response.status, 200);
  t.deepEqual(response.body, bytes);
  t.is(response.headers['content-length'], String(SIZE));
  t.is(response.headers['content-type'], 'video/mp4');
  t.is(response.headers['accept-ranges'], 'bytes');
  t.is(response.headers['content-disposition'], "inline; filename*=UTF-8''clip.mp4");
  t.regex(response.headers.etag ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
  t.truthy(response.headers['last-modified']);
  t.is(response.headers['access-control-allow-origin'], '*');
  t.regex(response.headers['access-control-expose-headers'] ?? '', /Content-Range.*Content-Length.*Accept-Ranges/);
});

test('HEAD sends the same headers and no body', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const get = await request(origin, mediaPath('clip.mp4'), { headers: { range: 'bytes=10-19' } });
  const head = await request(origin, mediaPath('clip.mp4'), { method: 'HEAD', headers: { range: 'bytes=10-19' } });
  t.is(head.status, 206);
  t.is(head.body.length, 0);
  for (const name of ['content-length', 'content-range', 'content-type', 'etag', 'accept-ranges']) {
    t.is(head.headers[name], get.headers[name], name);
  }
});

const singleRanges: Array<[string, number, number]> = [
  ['bytes=0-99', 0, 99],
  ['bytes=100-', 100, SIZE - 1],
  ['bytes=-500', SIZE - 500, SIZE - 1],
  ['bytes=9000-999999', 9000, SIZE - 1], // end past the size: clamped
  ['bytes=-99999', 0, SIZE - 1], // suffix longer than the file: all of it
  ['bytes=0-0', 0, 0],
  ['bytes=9999-', SIZE - 1, SIZE - 1],
  ['BYTES = 5 - 9', 5, 9], // unit is case-insensitive; whitespace is tolerated
  ['bytes=, 20-29 ,', 20, 29], // empty list elements are allowed
  ['bytes=5000-5000, 12000-13000', 5000, 5000], // an unsatisfiable spec in a set is dropped
];

for (const [header, start, end] of singleRanges) {
  test(`Range ${header} answers 206 with bytes ${start}-${end}`, async (t) => {
    const { origin, mediaPath } = await startMediaServer(t, files);
    const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: header } });
    t.is(response.status, 206);
    t.is(response.headers['content-range'], `bytes ${start}-${end}/${SIZE}`);
    t.is(response.headers['content-length'], String(end - start + 1));
    t.deepEqual(response.body, bytes.subarray(start, end + 1));
  });
}

for (const header of ['bytes=10000-', 'bytes=20000-30000', 'bytes=-0', 'bytes=10000-10001, 12000-']) {
  test(`Range ${header} is unsatisfiable: 416 with Content-Range bytes */size`, async (t) => {
    const { origin, mediaPath } = await startMediaServer(t, files);
    const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: header } });
    t.is(response.status, 416);
    t.is(response.headers['content-range'], `bytes */${SIZE}`);
    t.is(JSON.parse(response.body.toString()).error, 'RANGE_NOT_SATISFIABLE');
  });
}

for (const header of ['bytes=abc', 'bytes=5-3', 'bytes=-', 'items=0-10', 'bytes', 'bytes=1-2-3', 'bytes=0x10-20', 'bytes=,']) {
  test(`malformed Range '${header}' is ignored: 200 with the whole file`, async (t) => {
    const { origin, mediaPath } = await startMediaServer(t, files);
    const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: header } });
    t.is(response.status, 200);
    t.is(response.headers['content-range'], undefined);
    t.deepEqual(response.body, bytes);
  });
}

test('an empty file: 200 with no body, any range 416', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const whole = await request(origin, mediaPath('empty.mp3'));
  t.is(whole.status, 200);
  t.is(whole.headers['content-length'], '0');
  const ranged = await request(origin, mediaPath('empty.mp3'), { headers: { range: 'bytes=0-' } });
  t.is(ranged.status, 416);
  t.is(ranged.headers['content-range'], 'bytes */0');
});

function parseMultipart(body: Buffer, boundary: string): Array<{ headers: Record<string, string>; data: Buffer }> {
  const parts: Array<{ headers: Record<string, string>; data: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(afterDelimiter + 2, headerEnd).toString().split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd);
    parts.push({ headers, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}

test('several ranges: multipart/byteranges in the order asked, with an exact Content-Length', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: 'bytes=500-599, 0-9, -10' } });
  t.is(response.status, 206);
  const match = /^multipart\/byteranges; boundary=(\S+)$/.exec(response.headers['content-type'] ?? '');
  t.truthy(match);
  t.is(Number(response.headers['content-length']), response.body.length);
  t.true(response.body.toString('latin1').endsWith(`\r\n--${match![1]}--\r\n`));
  const parts = parseMultipart(response.body, match![1]!);
  t.deepEqual(
    parts.map((part) => part.headers['content-range']),
    [`bytes 500-599/${SIZE}`, `bytes 0-9/${SIZE}`, `bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`],
  );
  t.deepEqual(parts[0]!.data, bytes.subarray(500, 600));
  t.deepEqual(parts[1]!.data, bytes.subarray(0, 10));
  t.deepEqual(parts[2]!.data, bytes.subarray(SIZE - 10));
  t.true(parts.every((part) => part.headers['content-type'] === 'video/mp4'));
});

test('the multi-range cap: too many, too overlapping or too large range sets get the whole file once', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const tooMany = Array.from({ length: 17 }, (_, i) => `${i * 100}-${i * 100 + 9}`).join(',');
  const killer = Array.from({ length: 200 }, (_, i) => `0-${i}`).join(','); // the 2011 Apache "killer"
  const overlapping = 'bytes=0-5000,100-5100,200-5200,300-5300';
  const exceedsSize = 'bytes=0-6000,4000-9999';
  for (const header of [`bytes=${tooMany}`, `bytes=${killer}`, overlapping, exceedsSize]) {
    const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: header } });
    t.is(response.status, 200, header.slice(0, 40));
    t.is(response.body.length, SIZE);
  }
  const sixteen = Array.from({ length: 16 }, (_, i) => `${i * 100}-${i * 100 + 9}`).join(',');
  const allowed = await request(origin, mediaPath('clip.mp4'), { headers: { range: `bytes=${sixteen}` } });
  t.is(allowed.status, 206);
  t.regex(allowed.headers['content-type'] ?? '', /^multipart\/byteranges/);
});

test('If-None-Match and If-Modified-Since answer 304; If-Match and If-Unmodified-Since 412', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const first = await request(origin, mediaPath('clip.mp4'));
  const etag = first.headers.etag!;
  const lastModified = first.headers['last-modified']!;
  const cases: Array<[Record<string, string>, number]> = [
    [{ 'if-none-match': etag }, 304],
    [{ 'if-none-match': `W/${etag}` }, 304], // weak comparison for If-None-Match
    [{ 'if-none-match': `"other", ${etag}` }, 304],
    [{ 'if-none-match': '*' }, 304],
    [{ 'if-none-match': '"other"' }, 200],
    [{ 'if-modified-since': lastModified }, 304],
    [{ 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() }, 304],
    [{ 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' }, 200],
    [{ 'if-none-match': '"other"', 'if-modified-since': lastModified }, 200], // If-None-Match wins
    [{ 'if-modified-since': 'not a date' }, 200],
    [{ 'if-match': etag }, 200],
    [{ 'if-match': '"other"' }, 412],
    [{ 'if-match': `W/${etag}` }, 412], // strong comparison for If-Match
    [{ 'if-unmodified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' }, 412],
    [{ 'if-unmodified-since': lastModified }, 200],
  ];
  for (const [headers, status] of cases) {
    const response = await request(origin, mediaPath('clip.mp4'), { headers });
    t.is(response.status, status, JSON.stringify(headers));
    if (status === 304) {
      t.is(response.body.length, 0);
      t.is(response.headers.etag, etag);
    }
  }
});

test('If-Range: strong ETag and exact date keep the range; weak, stale or other dates get the whole file', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const first = await request(origin, mediaPath('clip.mp4'));
  const etag = first.headers.etag!;
  const lastModified = first.headers['last-modified']!;
  const cases: Array<[string, number]> = [
    [etag, 206],
    [`W/${etag}`, 200], // weak: never matches
    ['"stale-etag"', 200],
    [lastModified, 206],
    ['Thu, 01 Jan 2015 00:00:00 GMT', 200],
    [new Date(Date.parse(lastModified) + 1000).toUTCString(), 200],
    ['garbage', 200],
  ];
  for (const [ifRange, status] of cases) {
    const response = await request(origin, mediaPath('clip.mp4'), { headers: { range: 'bytes=0-9', 'if-range': ifRange } });
    t.is(response.status, status, ifRange);
    t.is(response.body.length, status === 206 ? 10 : SIZE);
  }
});

test('a changed file gets a new ETag, and If-Range with the old one gets the new whole file', async (t) => {
  const server = await startMediaServer(t, files, { server: {} });
  const before = await request(server.origin, server.mediaPath('clip.mp4'));
  const changed = Buffer.from(bytes);
  changed[0] = changed[0]! ^ 0xff;
  const { writeFile, utimes } = await import('node:fs/promises');
  const file = `${server.dir}/clip.mp4`;
  await writeFile(file, changed);
  await utimes(file, new Date(), new Date(Date.now() + 5000));
  // The descriptor cache trusts a stat for one second: wait, with a deadline, for a fresh answer.
  const ask = () => request(server.origin, server.mediaPath('clip.mp4'), { headers: { range: 'bytes=0-9', 'if-range': before.headers.etag! } });
  let after = await ask();
  await eventually(async () => (after = await ask()).status === 200, 5000, 'the change to be seen');
  t.is(after.status, 200);
  t.not(after.headers.etag, before.headers.etag);
  t.deepEqual(after.body, changed);
});

test('OPTIONS preflight allows what Cast receivers send', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const response = await request(origin, mediaPath('clip.mp4'), {
    method: 'OPTIONS',
    headers: { origin: 'https://receiver.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
  });
  t.is(response.status, 204);
  t.is(response.headers['access-control-allow-origin'], '*');
  const allowed = (response.headers['access-control-allow-headers'] ?? '').toLowerCase();
  for (const header of ['range', 'content-type', 'accept-encoding']) t.true(allowed.includes(header), header);
  t.regex(response.headers['access-control-allow-methods'] ?? '', /GET/);
  t.regex(response.headers['access-control-expose-headers'] ?? '', /Content-Range/);
});

test('other methods get 405 with Allow; unknown routes 404', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const post = await request(origin, mediaPath('clip.mp4'), { method: 'POST' });
  t.is(post.status, 405);
  t.is(post.headers.allow, 'GET, HEAD, OPTIONS');
  t.is((await request(origin, '/nothing/here')).status, 404);
  const health = await request(origin, '/healthz');
  t.is(health.status, 200);
  t.is(JSON.parse(health.body.toString()).status, 'ok');
});

test('Content-Disposition gives the file name, encoded per RFC 8187', async (t) => {
  const { origin, mediaPath } = await startMediaServer(t, files);
  const response = await request(origin, mediaPath("Tom's (Best) Mix.mp3"), { method: 'HEAD' });
  t.is(response.headers['content-disposition'], "inline; filename*=UTF-8''Tom%27s%20%28Best%29%20Mix.mp3");
});
