import fc from 'fast-check';
import test from 'ava';
import { patternBytes, startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';
import { overlapsPast, rfc9110Ranges } from './helpers/range-reference.ts';
import type { ByteRange } from '../src/http/range.ts';

const SIZE = 5000;
const bytes = patternBytes(SIZE);

/** A Range spec as clients write them, valid or not. */
const position = fc.oneof(fc.nat({ max: SIZE * 2 }), fc.constantFrom(0, SIZE - 1, SIZE, SIZE + 1));
const spec = fc.oneof(
  fc.tuple(position, position).map(([a, b]) => `${a}-${b}`),
  position.map((a) => `${a}-`),
  fc.nat({ max: SIZE * 2 }).map((n) => `-${n}`),
  fc.constantFrom('-', 'x-1', '1-x', '', ' 5 - 9 ', '0x1-2'),
);
const header = fc.oneof(
  fc.array(spec, { minLength: 1, maxLength: 20 }).map((specs) => `bytes=${specs.join(',')}`),
  fc.constantFrom('bytes', 'bytes=', 'chars=0-1', 'bytes 0-1'),
  fc.string({ maxLength: 30 }).map((text) => `bytes=${text}`),
);

type Range = ByteRange;

/** RFC 9110 §14.1.2 on its own: the satisfiable ranges, or null if the header is invalid. */
function reference(value: string): Range[] | null {
  const ranges = rfc9110Ranges(value, SIZE);
  return ranges === 'empty' ? [] : ranges;
}

test('for random Range headers, status, headers and body agree with RFC 9110 and with the file', async (t) => {
  const server = await startMediaServer(t, { 'file.mp4': bytes }, { library: { watch: false } });
  const path = server.mediaPath('file.mp4');
  await fc.assert(
    fc.asyncProperty(header, async (value) => {
      const response = await request(server.origin, path, { headers: { range: value } });
      const expected = reference(value);
      const length = Number(response.headers['content-length']);
      if (response.status !== 416) t.is(length, response.body.length, 'Content-Length is exact');
      if (response.status === 200) {
        // Whole file: the header was invalid, or it was over the amplification caps.
        t.deepEqual(response.body, bytes);
        if (expected !== null && expected.length > 0) {
          const total = expected.reduce((sum, range) => sum + range.end - range.start + 1, 0);
          t.true(expected.length > 1 && (total > SIZE || value.split(',').length > 16 || overlapsPast(expected, 2)), `200 for satisfiable ${value}`);
        }
      } else if (response.status === 416) {
        t.deepEqual(expected, [], `416 only when nothing is satisfiable: ${value}`);
        t.is(response.headers['content-range'], `bytes */${SIZE}`);
      } else {
        t.is(response.status, 206, value);
        t.truthy(expected && expected.length > 0);
        if (expected!.length === 1) {
          const [{ start, end }] = expected as [Range];
          t.is(response.headers['content-range'], `bytes ${start}-${end}/${SIZE}`);
          t.deepEqual(response.body, bytes.subarray(start, end + 1));
        } else {
          const boundary = /boundary=(\S+)/.exec(response.headers['content-type'] ?? '')![1]!;
          const body = response.body.toString('latin1');
          const parts = body.split(`--${boundary}`).slice(1, -1);
          t.is(parts.length, expected!.length);
          parts.forEach((part, index) => {
            const { start, end } = expected![index]!;
            t.true(part.includes(`Content-Range: bytes ${start}-${end}/${SIZE}\r\n\r\n`));
            const data = part.slice(part.indexOf('\r\n\r\n') + 4, part.length - 2);
            t.is(data, bytes.subarray(start, end + 1).toString('latin1'));
          });
          t.true(body.endsWith(`--${boundary}--\r\n`));
        }
      }
    }),
    { numRuns: 300 },
  );
});
