import fs from 'node:fs';
import { fsPath } from '../library/disk-names.ts';
import { strongEtag } from './conditional.ts';

/** An open media file shared by the requests that read it. */
export class OpenFile {
  /** Requests using the descriptor now; it is closed only at zero. */
  refs = 0;
  /** Replaced by a newer open (file changed) or evicted: close when the last user leaves. */
  retired = false;
  checkedAt: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly fd: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;

  constructor(fd: number, size: number, mtimeMs: number, ino: number) {
    this.fd = fd;
    this.size = size;
    this.mtimeMs = mtimeMs;
    this.ino = ino;
    this.checkedAt = performance.now();
    this.etag = strongEtag(size, mtimeMs);
    this.lastModified = new Date(mtimeMs).toUTCString();
  }
}

export interface OpenFilesOptions {
  /** Descriptors kept open while unused. Default 128. */
  readonly max?: number;
  /** How long a file's stat is trusted before it is checked again, in ms. Default 1000. */
  readonly revalidateMs?: number;
  /**
   * How often cached descriptors nobody asks for are checked against their path, in
   * ms: one of a deleted or replaced file is closed (when its last reader leaves),
   * so it does not hold the file's disk space. Default 2000; 0 turns it off.
   */
  readonly sweepMs?: number;
}

// Stats per sweep, one at a time: a NAS answers slowly, and media reads share the thread pool.
const SWEEP_BATCH = 32;

/**
 * A cache of open file descriptors, keyed by path, read with positional reads.
 *
 * Why not `fs.createReadStream` per request: measured here, a stream per request
 * serves about a third of nginx's rate on random 64 KiB ranges, and opening and
 * closing a descriptor per request, plus a stat, is most of the fixed cost. A
 * player seeks all the time, so the same few files are opened again and again.
 * Reference counting means an aborted request can never leak or close a
 * descriptor another request still reads.
 */
export class OpenFiles {
  readonly #entries = new Map<string, OpenFile>();
  readonly #opening = new Map<string, Promise<OpenFile>>();
  readonly #max: number;
  readonly #revalidateMs: number;
  readonly #sweepMs: number;
  // Set from scheduling until the sweep has finished, so sweeps never overlap.
  #sweep: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: OpenFilesOptions = {}) {
    this.#max = options.max ?? 128;
    this.#revalidateMs = options.revalidateMs ?? 1000;
    this.#sweepMs = options.sweepMs ?? 2000;
  }

  /** Descriptors open now (cached or in use). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The open file at `path`, with its reference taken: call {@link release} once
   * done. `resolve` gives the real path to open (it checks the path stays inside
   * its root) and runs only when the file must be opened.
   */
  acquire(path: string, resolve: () => Promise<string>): Promise<OpenFile> {
    const fresh = this.acquireFresh(path);
    if (fresh) return Promise.resolve(fresh);
    const cached = this.#entries.get(path);
    let pending = this.#opening.get(path);
    if (!pending) {
      pending = this.#revalidate(path, cached, resolve).finally(() => this.#opening.delete(path));
      this.#opening.set(path, pending);
    }
    return pending.then((file) => {
      file.refs++;
      return file;
    });
  }

  /**
   * The open file at `path` with its reference taken, if it is cached and was
   * checked within `revalidateMs`; else undefined (then use {@link acquire}).
   * Synchronous, for the request path: most ranged requests hit the cache, and
   * an await per request costs a promise and a microtask turn.
   */
  acquireFresh(path: string): OpenFile | undefined {
    const cached = this.#entries.get(path);
    if (cached === undefined || performance.now() - cached.checkedAt >= this.#revalidateMs) return undefined;
    cached.refs++;
    return cached;
  }

  /** Gives back a reference taken by {@link acquire} or {@link acquireFresh}. */
  release(file: OpenFile): void {
    file.refs--;
    if (file.refs === 0 && file.retired) fs.close(file.fd, () => {});
  }

  /** Closes every descriptor (those in use, as soon as their requests end). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#sweep);
    for (const file of this.#entries.values()) this.#retire(file);
    this.#entries.clear();
  }

  async #revalidate(path: string, cached: OpenFile | undefined, resolve: () => Promise<string>): Promise<OpenFile> {
    if (cached) {
      const stats = await fs.promises.stat(fsPath(path)).catch(() => undefined);
      if (sameFile(stats, cached)) {
        cached.checkedAt = performance.now();
        this.#entries.delete(path); // most recently used goes last
        this.#entries.set(path, cached);
        return cached;
      }
      this.#entries.delete(path);
      this.#retire(cached);
    }
    const real = await resolve();
    // A raw descriptor, not a FileHandle: a FileHandle per request costs req/s and
    // memory (measured), and this cache manages the lifetime itself.
    const fd = await new Promise<number>((done, fail) => fs.open(fsPath(real), 'r', (error, opened) => (error ? fail(error) : done(opened))));
    const stats = await new Promise<fs.Stats>((done, fail) => fs.fstat(fd, (error, s) => (error ? fail(error) : done(s))));
    if (!stats.isFile()) {
      fs.close(fd, () => {});
      throw Object.assign(new Error(`${path} is not a file`), { code: 'EISDIR' });
    }
    const file = new OpenFile(fd, stats.size, stats.mtimeMs, stats.ino);
    if (this.#closed) {
      file.retired = true; // still served to this request, then closed
      return file;
    }
    this.#entries.set(path, file);
    this.#evict(file);
    this.#scheduleSweep();
    return file;
  }

  #scheduleSweep(): void {
    if (this.#sweepMs <= 0 || this.#sweep !== undefined || this.#closed || this.#entries.size === 0) return;
    const sweep = (): Promise<void> =>
      this.#sweepOnce().finally(() => {
        this.#sweep = undefined;
        this.#scheduleSweep();
      });
    this.#sweep = setTimeout(() => void sweep(), this.#sweepMs);
    this.#sweep.unref();
  }

  // Without it, a deleted file that is never asked for again would keep its
  // descriptor, and its disk space, until the server stops (seen: 25 minutes).
  async #sweepOnce(): Promise<void> {
    const now = performance.now();
    const due: Array<[string, OpenFile]> = [];
    for (const entry of this.#entries) {
      if (now - entry[1].checkedAt >= this.#sweepMs) due.push(entry);
      if (due.length === SWEEP_BATCH) break;
    }
    for (const [path, file] of due) {
      const checkedAt = performance.now();
      const stats = await fs.promises.stat(fsPath(path)).catch(() => undefined);
      if (this.#entries.get(path) !== file) continue; // reopened or evicted meanwhile
      if (sameFile(stats, file)) {
        file.checkedAt = checkedAt; // also spares the next request its stat
      } else {
        this.#entries.delete(path);
        this.#retire(file);
      }
    }
  }

  // Closes the least recently checked unused descriptors, never `keep` (not yet referenced).
  #evict(keep: OpenFile): void {
    if (this.#entries.size <= this.#max) return;
    for (const [path, file] of this.#entries) {
      if (this.#entries.size <= this.#max) break;
      if (file.refs > 0 || file === keep) continue;
      this.#entries.delete(path);
      this.#retire(file);
    }
  }

  #retire(file: OpenFile): void {
    file.retired = true;
    if (file.refs === 0) fs.close(file.fd, () => {});
  }
}

function sameFile(stats: fs.Stats | undefined, file: OpenFile): boolean {
  return stats !== undefined && stats.ino === file.ino && stats.size === file.size && stats.mtimeMs === file.mtimeMs;
}
