import { Worker } from 'node:worker_threads';
import type { FolderListing } from './folder-listing.ts';

/** Options of {@link FolderReader}. */
export interface FolderReaderOptions {
  /** A folder whose listing takes longer is given up (ETIMEDOUT) and its thread abandoned. Default 60 s. */
  readonly timeoutMs?: number;
  /** The thread ends after this long with nothing to list. Default 2 s. */
  readonly idleMs?: number;
}

type Reply = { id: number; listing: FolderListing } | { id: number; error: { message: string; code: string | undefined } };

interface Pending {
  resolve(listing: FolderListing): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const WORKER_FLAGS = /^--(?:(?:no-)?experimental-(?:strip|transform)-types|conditions=|no-warnings|disable-warning=)/;

// Compiled, the worker is a .js beside this file; run from source (tests, Node's type stripping), a .ts.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './folder-worker.ts' : './folder-worker.js', import.meta.url);

/**
 * Lists folders in a thread of its own (see `listFolder`): the scan's syscalls are
 * synchronous for speed, and a network mount that hangs in one of them must not freeze
 * the event loop (under Homebridge, every accessory of the bridge). A listing that
 * takes too long rejects with `ETIMEDOUT`; its thread, stuck in the kernel, is left to
 * finish on its own and a new one takes the next folder. The thread starts with the
 * first listing and ends when idle, so a library at rest holds no second V8 isolate.
 */
export class FolderReader {
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #idle: NodeJS.Timeout | undefined;
  #nextId = 0;

  constructor(options: FolderReaderOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#idleMs = options.idleMs ?? 2_000;
  }

  /** What is in `absolute` (symlinks checked against `realRoot`); rejects with the system's error if it cannot be read. */
  list(absolute: string, realRoot: string): Promise<FolderListing> {
    clearTimeout(this.#idle);
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#abandon(worker);
        reject(Object.assign(new Error(`listing the folder took more than ${this.#timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, absolute, realRoot });
    });
  }

  /** Ends the thread (what is being listed is rejected). */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('the library was closed'));
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    // Not the process's flags: a thread refuses many (`--expose-gc`, `--input-type`,
    // V8's heap sizes) and needs none but those that decide how its module loads.
    const worker = new Worker(WORKER, { execArgv: process.execArgv.filter((flag) => WORKER_FLAGS.test(flag)) });
    worker.unref(); // a scan in flight keeps the process alive through its promise, not through the thread
    worker.on('message', (reply: Reply) => this.#settle(reply));
    // Only the current thread's end concerns the listings waiting (an abandoned one's were failed when it was).
    worker.on('error', (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(error);
    });
    worker.on('exit', () => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(new Error('the scan thread stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return; // timed out meanwhile
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if ('listing' in reply) pending.resolve(reply.listing);
    else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    if (this.#pending.size === 0) this.#scheduleIdle();
  }

  #scheduleIdle(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#pending.size > 0) return;
      const worker = this.#worker;
      this.#worker = undefined;
      void worker?.terminate();
    }, this.#idleMs);
    this.#idle.unref();
  }

  // A thread stuck in a syscall cannot be interrupted: it is forgotten (terminate() takes
  // effect when the call returns), and listings still waiting on it fail now.
  #abandon(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(Object.assign(new Error('an earlier folder of this scan hung'), { code: 'ETIMEDOUT' }));
    void worker.terminate();
  }

  #failAll(error: Error): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}
