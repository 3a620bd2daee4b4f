import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { isWellFormed, fsPath } from './disk-names.ts';

/** How one ffmpeg run ended: a picture was written, ffmpeg refused, or it could not run at all. */
export type FfmpegOutcome = 'done' | 'failed' | 'timeout' | 'missing' | 'closed';

/** One ffmpeg run: one input (a library path), one JPEG out. */
export interface FfmpegJob {
  /** The input, lossless (see `fromDiskBytes`). */
  readonly input: string;
  /** Options before `-i` (input seeking). */
  readonly before: readonly string[];
  /** Options after `-i`: maps, filters, encoder. */
  readonly after: readonly string[];
  /** Where the JPEG goes (a temporary name). */
  readonly output: string;
}

/** What a run ended with, and the start of what ffmpeg said (for the debug log). */
export interface FfmpegResult {
  readonly outcome: FfmpegOutcome;
  readonly stderr: string;
}

const MAX_STDERR = 4096;

/**
 * Runs ffmpeg for artwork: a queue of at most `concurrency` processes, each
 * niced (artwork must never stall playback), killed at its deadline, with a
 * bounded stderr.
 */
export class FfmpegRunner {
  readonly #path: string;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #running = new Set<ChildProcess>();
  readonly #waiting: Array<(go: boolean) => void> = [];
  #active = 0;
  #closed = false;

  constructor(path: string, concurrency: number, timeoutMs: number) {
    this.#path = path;
    this.#concurrency = Math.max(1, Math.floor(concurrency));
    this.#timeoutMs = timeoutMs;
  }

  /** Runs `job` when a slot is free. Never rejects. */
  async run(job: FfmpegJob): Promise<FfmpegResult> {
    if (!(await this.#slot())) return { outcome: 'closed', stderr: '' };
    try {
      return await this.#spawn(job);
    } finally {
      this.#active--;
      this.#waiting.shift()?.(true);
    }
  }

  /** Kills what runs (SIGKILL) and drops what waits. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#waiting.splice(0)) wake(false);
    for (const child of this.#running) child.kill('SIGKILL');
  }

  #slot(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#active < this.#concurrency) {
      this.#active++;
      return Promise.resolve(true);
    }
    // Counted at the wake-up itself, synchronously, so a newcomer cannot slip in between.
    return new Promise((resolve) => this.#waiting.push((go) => resolve(go && !this.#closed ? (this.#active++, true) : false)));
  }

  async #spawn(job: FfmpegJob): Promise<FfmpegResult> {
    // A name that is not UTF-8 cannot travel as an argument string (Node encodes argv
    // as UTF-8): ffmpeg gets the open file as descriptor 3 instead.
    let handle: fs.FileHandle | undefined;
    let input = `file:${job.input}`; // `file:` so a name with a colon is never read as a protocol
    if (!isWellFormed(job.input)) {
      try {
        handle = await fs.open(fsPath(job.input), 'r');
      } catch {
        return { outcome: 'failed', stderr: 'cannot open the input' };
      }
      input = '/dev/fd/3';
    }
    if (this.#closed) {
      await handle?.close();
      return { outcome: 'closed', stderr: '' };
    }
    const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...job.before, '-i', input, ...job.after, `file:${job.output}`];
    try {
      return await new Promise<FfmpegResult>((resolve) => {
        const child = spawn(this.#path, args, { stdio: ['ignore', 'ignore', 'pipe', ...(handle ? [handle.fd] : [])], windowsHide: true });
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const finish = (outcome: FfmpegOutcome): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.#running.delete(child);
          resolve({ outcome, stderr });
        };
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, this.#timeoutMs);
        this.#running.add(child);
        if (child.pid !== undefined) {
          try {
            os.setPriority(child.pid, 10);
          } catch {
            // It may have exited already, or the system may refuse: it then runs at normal priority.
          }
        }
        child.stderr?.setEncoding('utf8');
        child.stderr?.on('data', (chunk: string) => {
          if (stderr.length < MAX_STDERR) stderr += chunk.slice(0, MAX_STDERR - stderr.length);
        });
        child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? 'missing' : 'failed'));
        child.on('close', (code) => finish(this.#closed ? 'closed' : timedOut ? 'timeout' : code === 0 ? 'done' : 'failed'));
      });
    } finally {
      await handle?.close();
    }
  }
}
