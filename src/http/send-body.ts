import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ByteRange } from './range.ts';

/** Reads start at this size: a player that seeks aborts most responses within the first few of them. */
const FIRST_CHUNK = 64 * 1024;
/** The read size when the budget below is spent. */
const SMALL_CHUNK = 16 * 1024;
/**
 * Bytes of read buffers over SMALL_CHUNK lent to sockets at once, all responses
 * together. A client that stops reading keeps the buffer its last write used (the
 * socket holds it until sent), and a loopback socket takes megabytes before it
 * pushes back, so reads had grown to 1 MiB first: 500 clients reading a byte a
 * second held 500 MB (measured in a trial). Past the budget, reads are small.
 */
const LARGE_BUDGET = 8 * 1024 * 1024;
let largeLent = 0;
/** Reads grow (×4 each time) to this for long sequential transfers (halves CPU per GB, measured). */
const MAX_CHUNK = 1024 * 1024;
/** Bytes a response must have sent before its reads grow past FIRST_CHUNK. */
const GROW_AFTER = 1024 * 1024;

/**
 * Free read buffers, one pool per chunk size. At 15,000 ranged requests a second,
 * a fresh buffer per read is a gigabyte a second of garbage that V8 frees late
 * (it counts it as external memory), and glibc keeps freed blocks of 128 KiB and
 * more resident once its mmap threshold has risen: RSS passed 200 MiB (measured).
 * Each size has its own cap, so small buffers cannot crowd out big ones.
 */
const POOL_CAP_BYTES: ReadonlyMap<number, number> = new Map([
  [FIRST_CHUNK, 8 * 1024 * 1024],
  [FIRST_CHUNK * 4, 4 * 1024 * 1024],
  [MAX_CHUNK, 8 * 1024 * 1024],
]);
const pools = new Map<number, Buffer[]>([...POOL_CAP_BYTES.keys()].map((size) => [size, []]));

function takeBuffer(size: number): Buffer {
  return pools.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
}

function giveBuffer(buffer: Buffer): void {
  const pool = pools.get(buffer.length);
  // Never a slice of Node's shared 8 KiB pool; only up to the cap.
  if (!pool || buffer.byteOffset !== 0 || (pool.length + 1) * buffer.length > POOL_CAP_BYTES.get(buffer.length)!) return;
  pool.push(buffer);
}

/**
 * The buffers one response has handed to its socket. A buffer comes back when
 * the socket write that used it calls back; but Node drops that callback when the
 * socket is already destroyed, so whatever is still lent when the response closes
 * comes back then (the socket's handle is closed by that time: nothing reads it
 * any more). A buffer with a read in flight is never lent: the read would still
 * be writing into it. Each buffer comes back once only: a buffer in the pool twice
 * would be shared by two responses.
 */
class Loans {
  readonly #lent = new Set<Buffer>();

  lend(buffer: Buffer): void {
    this.#lent.add(buffer);
  }

  give(buffer: Buffer): void {
    if (this.#lent.delete(buffer)) returned(buffer);
  }

  giveAll(): void {
    for (const buffer of this.#lent) returned(buffer);
    this.#lent.clear();
  }
}

/**
 * A buffer for the next read: `chunk` bytes, or small ones when big buffers would pass
 * the budget. Counted from the read on (reads of many responses are in flight at once),
 * until {@link returned}.
 */
function readBuffer(chunk: number, remaining: number): Buffer {
  const wanted = Math.min(chunk, remaining);
  const length = wanted > SMALL_CHUNK && largeLent + wanted > LARGE_BUDGET ? SMALL_CHUNK : wanted;
  if (length > SMALL_CHUNK) largeLent += length;
  // Small tails get their own buffer; pool-sized reads come from the pool.
  return pools.has(length) ? takeBuffer(length) : Buffer.allocUnsafe(length);
}

/** A read buffer back from its socket (or from a read nobody wants any more). */
function returned(buffer: Buffer): void {
  if (buffer.length > SMALL_CHUNK) largeLent -= buffer.length;
  giveBuffer(buffer);
}

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
  const loans = new Loans();
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    response.off('close', finish);
    loans.giveAll();
    done();
  };
  response.on('close', finish);

  let index = 0;
  let position = 0;
  let end = -1;
  let chunk = FIRST_CHUNK;
  let sent = 0;

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
    const buffer = readBuffer(chunk, end - position + 1);
    const length = buffer.length;
    fs.read(fd, buffer, 0, length, position, (error, bytesRead) => {
      if (finished) return returned(buffer); // the client left while we read
      if (error || bytesRead === 0) {
        returned(buffer);
        // The file shrank or the disk failed mid-body: the length is already
        // promised, so the only honest answer is to cut the connection.
        response.destroy(error ?? new Error('file shorter than announced'));
        return finish();
      }
      position += bytesRead;
      sent += bytesRead;
      if (sent >= GROW_AFTER) chunk = Math.min(chunk * 4, MAX_CHUNK);
      const data = bytesRead < length ? buffer.subarray(0, bytesRead) : buffer;
      loans.lend(buffer);
      const written = (): void => loans.give(buffer);
      if (position > end && index === parts.length) {
        // Headers and the last bytes leave in one write.
        response.end(data, () => {
          written();
          finish();
        });
      } else if (response.write(data, written)) {
        next();
      } else {
        response.once('drain', next);
      }
    });
  };
  next();
}
