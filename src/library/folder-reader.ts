import { type ChildProcess, fork } from 'node:child_process';
import type { FolderListing } from './folder-listing.ts';

/** Options of {@link FolderReader}. */
export interface FolderReaderOptions {
  /** A folder whose listing takes longer is given up (ETIMEDOUT) and its process killed. Default 60 s. */
  readonly timeoutMs?: number;
  /** The process ends after this long with nothing to list. Default 2 s. */
  readonly idleMs?: number;
  /** The lister's module (tests give one that hangs); default `folder-worker`. */
  readonly script?: URL;
  /** The clock of the pause after a hang, in ms (tests move it on). Default `Date.now`. */
  readonly now?: () => number;
}

type Reply = { id: number; listing: FolderListing } | { id: number; error: { message: string; code: string | undefined } };

interface Pending {
  resolve(listing: FolderListing): void;
  reject(error: Error): void;
}

const WORKER_FLAGS = /^--(?:(?:no-)?experimental-(?:strip|transform)-types|conditions=|no-warnings|disable-warning=)/;

// Compiled, the lister is a .js beside this file; run from source (tests, Node's type stripping), a .ts.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './folder-worker.ts' : './folder-worker.js', import.meta.url);

/**
 * Lists folders in a process of its own (see `listFolder`): the scan's syscalls are
 * synchronous for speed, and a network mount that hangs in one of them must not freeze
 * the event loop (under Homebridge, every accessory of the bridge). A listing that
 * takes too long rejects with `ETIMEDOUT`; its process is killed and a new one takes
 * the next folder. The process starts with the first listing and ends when idle.
 *
 * A process, not a worker thread: a thread's V8 heap and malloc arena stayed in the
 * bridge's RSS after it ended (measured +8 to +14 MiB with 10,000 files); a process
 * gives everything back when it exits, and costs ~60 ms to start per scan.
 */
export class FolderReader {
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #script: URL;
  readonly #now: () => number;
  readonly #pending = new Map<number, Pending>();
  #worker: ChildProcess | undefined;
  #idle: NodeJS.Timeout | undefined;
  // The deadline runs for the listing the process works on now (the oldest waiting: it
  // lists in order), so listings queued behind a slow folder are not timed while they wait.
  #deadline: NodeJS.Timeout | undefined;
  // After a listing hung, until then: the share is taken as away, and listings fail at once
  // instead of each starting a process that hangs in its turn.
  #hungUntil = 0;
  #nextId = 0;

  constructor(options: FolderReaderOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#idleMs = options.idleMs ?? 2_000;
    this.#script = options.script ?? WORKER;
    this.#now = options.now ?? Date.now;
  }

  /** What is in `absolute` (symlinks checked against `realRoot`); rejects with the system's error if it cannot be read. */
  list(absolute: string, realRoot: string): Promise<FolderListing> {
    if (this.#now() < this.#hungUntil) return Promise.reject(timedOut(`the share did not answer a listing within ${this.#timeoutMs / 1000} s; tried again later`));
    clearTimeout(this.#idle);
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#armDeadline(worker);
      this.#hold(worker, true);
      worker.send({ id, absolute, realRoot }, (error) => {
        if (error) this.#failed(worker, error);
      });
    });
  }

  /** Ends the process (what is being listed is rejected) and waits for it to exit. */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('the library was closed'));
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref(); // until it has exited: a test (or a command) that closes the library waits for it
    if (worker.connected) worker.disconnect();
    else worker.kill('SIGKILL');
    await exited;
  }

  #started(): ChildProcess {
    if (this.#worker?.connected) return this.#worker;
    // Not the process's flags (V8's heap sizes, `--input-type`, `--expose-gc`): only those
    // that decide how its module loads. Structured clone keeps names that are not UTF-8 intact.
    const worker = fork(this.#script, [], {
      execArgv: process.execArgv.filter((flag) => WORKER_FLAGS.test(flag)),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    worker.on('message', (reply: Reply) => this.#settle(reply));
    worker.on('error', (error) => this.#failed(worker, error));
    worker.on('exit', () => this.#failed(worker, new Error('the scan process stopped')));
    // Only listings waiting keep the process alive through the channel (see #hold): an idle
    // lister must not keep a one-off command from exiting.
    worker.unref();
    worker.channel?.unref();
    this.#worker = worker;
    return worker;
  }

  // Only the current process's end concerns the listings waiting (a killed one's were failed when it was).
  #failed(worker: ChildProcess, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(error);
    worker.kill('SIGKILL'); // whatever state it is in, it is no longer ours to keep
  }

  #armDeadline(worker: ChildProcess): void {
    clearTimeout(this.#deadline);
    this.#deadline = setTimeout(() => {
      const [head] = this.#pending;
      if (!head) return;
      this.#pending.delete(head[0]);
      this.#hungUntil = this.#now() + this.#timeoutMs;
      head[1].reject(timedOut(`listing the folder took more than ${this.#timeoutMs / 1000} s`));
      this.#abandon(worker);
    }, this.#timeoutMs);
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return; // timed out meanwhile
    this.#pending.delete(reply.id);
    clearTimeout(this.#deadline);
    if (this.#pending.size > 0 && this.#worker) this.#armDeadline(this.#worker);
    if ('listing' in reply) pending.resolve(reply.listing);
    else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    if (this.#pending.size === 0) {
      if (this.#worker) this.#hold(this.#worker, false);
      this.#scheduleIdle();
    }
  }

  #scheduleIdle(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#pending.size > 0) return;
      const worker = this.#worker;
      this.#worker = undefined;
      worker?.disconnect();
    }, this.#idleMs);
    this.#idle.unref();
  }

  // The channel keeps the event loop alive while a listing waits, as an fs call would.
  #hold(worker: ChildProcess, waiting: boolean): void {
    if (waiting) worker.channel?.ref();
    else worker.channel?.unref();
  }

  // A process stuck in a syscall dies when the call returns; listings still waiting on it fail now.
  #abandon(worker: ChildProcess): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(timedOut('an earlier folder of this scan hung'));
    worker.kill('SIGKILL');
  }

  #failAll(error: Error): void {
    clearTimeout(this.#deadline);
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}

function timedOut(message: string): Error {
  return Object.assign(new Error(message), { code: 'ETIMEDOUT' });
}
