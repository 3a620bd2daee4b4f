import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ByteRange } from './range.ts';

/** First read of an open-ended range: a player that seeks aborts it soon after. */
const FIRST_CHUNK = 64 * 1024;
/** Reads grow to this for long sequential transfers (halves CPU per GB, measured). */
const MAX_CHUNK = 1024 * 1024;

/** One piece of a response body: bytes of the file, or literal text (multipart framing). */
export type BodyPart = ByteRange | string;

/**
 * Writes `parts` to `response` with positional reads on `fd`, then ends it, and
 * calls `done` exactly once: when the body is sent, when a read fails, or when the
 * client goes away. Written with callbacks rather than streams: a read stream per
 * request is what made Node servers slow and leaky under seeking (see DESIGN.md).
 * Backpressure: no read is issued while the socket has unsent data.
 */
export function sendBody(response: ServerResponse, fd: number, parts: readonly BodyPart[], done: () => void): void {
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    response.off('close', finish);
    done();
  };
  response.on('close', finish);

  let index = 0;
  let position = 0;
  let end = -1;
  let chunk = FIRST_CHUNK;

  const next = (): void => {
    if (finished) return;
    if (response.destroyed) return finish();
    // Advance to the next part when the current range is sent.
    while (position > end) {
      const part = parts[index++];
      if (part === undefined) {
        response.end(finish);
        return;
      }
      if (typeof part === 'string') {
        if (!response.write(part)) return void response.once('drain', next);
        continue;
      }
      position = part.start;
      end = part.end;
    }
    const length = Math.min(chunk, end - position + 1);
    const buffer = Buffer.allocUnsafe(length);
    fs.read(fd, buffer, 0, length, position, (error, bytesRead) => {
      if (finished) return;
      if (error || bytesRead === 0) {
        // The file shrank or the disk failed mid-body: the length is already
        // promised, so the only honest answer is to cut the connection.
        response.destroy(error ?? new Error('file shorter than announced'));
        return finish();
      }
      position += bytesRead;
      chunk = Math.min(chunk * 2, MAX_CHUNK);
      const data = bytesRead < length ? buffer.subarray(0, bytesRead) : buffer;
      if (position > end && index === parts.length) {
        response.end(data, finish); // headers and the last bytes leave in one write
      } else if (response.write(data)) {
        next();
      } else {
        response.once('drain', next);
      }
    });
  };
  next();
}
