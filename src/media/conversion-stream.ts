// One file converted for one plan, as HLS segments made on demand: the segment a
// device asks for is served when made, waited for when the running ffmpeg is about to
// make it, and otherwise ffmpeg is restarted there (a seek plays at once). Bounded:
// ffmpeg runs a few segments ahead of the last fetch and waits; segments far behind
// are deleted; the temp space is the manager's to cap.
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConversionError } from '../errors.ts';
import { ConversionRun } from './conversion-run.ts';
import type { VideoEncoder } from './ffmpeg-args.ts';
import type { PlaybackPlan } from './playback-plan.ts';
import type { SegmentPlan } from './segment-plan.ts';

/** Events of a {@link ConversionStream}. */
export interface ConversionStreamEvents {
  /** Bytes written to (positive) or deleted from (negative) its folder. */
  space: [bytes: number];
  /** ffmpeg failed; the waiting requests got the error too. */
  error: [error: Error];
}

/** What a stream is made from. */
export interface StreamSource {
  /** The file (a path, or its name's bytes). */
  readonly file: string | Buffer;
  /** As people see it, for errors. */
  readonly name: string;
  readonly plan: PlaybackPlan;
  readonly segments: SegmentPlan;
  readonly keyframes: readonly number[];
}

/** Limits of a stream. */
export interface StreamLimits {
  readonly ffmpegPath?: string;
  readonly encoder?: VideoEncoder;
  /** Segments made ahead of the last one fetched before ffmpeg waits. Default 5. */
  readonly ahead?: number;
  /** Segments kept behind the last one fetched (a short seek back). Default 3. */
  readonly behind?: number;
  /** A request this many segments past what ffmpeg is making restarts it there. Default 3. */
  readonly restartDistance?: number;
  /** How long a request waits for its segment. Default 30 000 ms. */
  readonly waitMs?: number;
}

interface Waiter<T = string> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** One converted stream's segments, in its own folder. */
export class ConversionStream extends EventEmitter<ConversionStreamEvents> {
  readonly source: StreamSource;
  /** When a segment or the playlist was last asked for (ms since the epoch). */
  lastUsed = Date.now();
  readonly #dir: string;
  readonly #limits: StreamLimits;
  readonly #made = new Map<number, number>();
  readonly #waiters = new Map<number, Waiter[]>();
  #init: Promise<Buffer> | undefined;
  #initWaiter: Waiter<Buffer> | undefined;
  #run: ConversionRun | undefined;
  #lastFetched = 0;
  #closed = false;

  constructor(source: StreamSource, dir: string, limits: StreamLimits = {}) {
    super();
    this.source = source;
    this.#dir = dir;
    this.#limits = limits;
  }

  /** Bytes of its segments on disk. */
  get bytes(): number {
    return [...this.#made.values()].reduce((sum, size) => sum + size, 0);
  }

  /** What it holds and does, for diagnostics: the segments on disk, and whether ffmpeg runs (from which segment) or waits for fetches. */
  get state(): { made: number[]; running: boolean; from: number | undefined; paused: boolean } {
    const run = this.#run && !this.#run.ended ? this.#run : undefined;
    return { made: [...this.#made.keys()].sort((a, b) => a - b), running: run !== undefined, from: run?.from, paused: run?.paused ?? false };
  }

  /** Whether ffmpeg runs for it now. */
  get converting(): boolean {
    return this.#run !== undefined && !this.#run.ended;
  }

  /** The init segment (the same from every run): from the run that made segments, else one started for it. */
  init(): Promise<Buffer> {
    this.lastUsed = Date.now();
    if (!this.#init) {
      const waitMs = this.#limits.waitMs ?? 30_000;
      const init = new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#initWaiter = undefined;
          reject(new ConversionError(this.source.name, `its header was not made within ${waitMs / 1000} s`));
        }, waitMs);
        this.#initWaiter = { resolve: (value) => (clearTimeout(timer), resolve(value)), reject: (error) => (clearTimeout(timer), reject(error)) };
      });
      // A failed init is asked for again by the next request, not remembered.
      this.#init = init.catch((error: unknown) => {
        this.#init = undefined;
        throw error;
      });
      if (!this.#run || this.#run.ended) this.#startRun(0);
    }
    return this.#init;
  }

  /** The path of segment `index` once made; rejects with the conversion's error or after the wait. */
  async segment(index: number): Promise<string> {
    this.lastUsed = Date.now();
    if (this.#closed) throw new ConversionError(this.source.name, 'the stream was stopped');
    this.#lastFetched = index;
    this.#trim();
    if (this.#made.has(index)) {
      this.#pace();
      return this.#path(index);
    }
    const run = this.#run;
    const distance = this.#limits.restartDistance ?? 3;
    if (!run || run.ended || index < run.making || index > run.making + distance) this.#startRun(index);
    this.#pace();
    const waitMs = this.#limits.waitMs ?? 30_000;
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { resolve: (file) => (clearTimeout(timer), resolve(file)), reject: (error) => (clearTimeout(timer), reject(error)) };
      // A waiter given up is forgotten: one left behind would keep ffmpeg running past the pacing.
      const timer = setTimeout(() => {
        this.#forget(index, waiter);
        reject(new ConversionError(this.source.name, `segment ${index} was not made within ${waitMs / 1000} s`));
      }, waitMs);
      this.#waiters.set(index, [...(this.#waiters.get(index) ?? []), waiter]);
    });
  }

  #forget(index: number, waiter: Waiter): void {
    const left = (this.#waiters.get(index) ?? []).filter((other) => other !== waiter);
    if (left.length > 0) this.#waiters.set(index, left);
    else this.#waiters.delete(index);
    this.#pace();
  }

  /** Stops ffmpeg and deletes the segments. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopRun();
    this.#rejectAll(new ConversionError(this.source.name, 'the stream was stopped'));
    const bytes = [...this.#made.values()].reduce((sum, size) => sum + size, 0);
    this.#made.clear();
    if (bytes > 0) this.emit('space', -bytes);
    // A segment still being written or sent (NFS keeps a deleted open file): the start of the next run empties it.
    await fs.rm(this.#dir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Stops ffmpeg (nothing was fetched for a while); the segments made stay until closed. */
  idle(): void {
    this.#stopRun();
  }

  #startRun(from: number): void {
    this.#stopRun();
    // What waits for a segment this run will not reach soon was asked before a seek: answered now.
    const distance = this.#limits.restartDistance ?? 3;
    for (const index of [...this.#waiters.keys()]) {
      if (index < from || index > from + distance) this.#reject(index, new ConversionError(this.source.name, `segment ${index} was given up for a seek elsewhere`));
    }
    const { file, name, plan, segments, keyframes } = this.source;
    const run = new ConversionRun({ plan, segments, keyframes, from, ...(this.#limits.encoder && { encoder: this.#limits.encoder }) }, name);
    this.#run = run;
    run.on('init', (init) => {
      this.#initWaiter?.resolve(init);
      this.#initWaiter = undefined;
      this.#init ??= Promise.resolve(init);
    });
    // Stored in order, one at a time; `end` waits for the last one.
    let stored = Promise.resolve();
    run.on('segment', (index, bytes) => {
      stored = stored.then(() => this.#store(run, index, bytes));
    });
    run.on('error', (error) => {
      if (run === this.#run) this.#rejectAll(error);
      this.emit('error', error);
    });
    run.on('end', () => void stored.then(() => this.#ended(run)).catch(() => undefined));
    run.start(file, this.#limits.ffmpegPath).catch((error: unknown) => {
      if (run === this.#run) this.#rejectAll(error as Error);
      this.emit('error', error as Error);
    });
  }

  /** What waits for a segment the run passed or never reached is not coming from it. */
  #ended(run: ConversionRun): void {
    if (this.#run !== run) return;
    const { name } = this.source;
    this.#initWaiter?.reject(new ConversionError(name, "ffmpeg stopped before it wrote the stream's header"));
    this.#initWaiter = undefined;
    for (const index of this.#waiters.keys()) if (!this.#made.has(index)) this.#reject(index, new ConversionError(name, `segment ${index} could not be made`));
  }

  async #store(run: ConversionRun, index: number, bytes: Buffer): Promise<void> {
    if (this.#closed) return;
    const file = this.#path(index);
    try {
      await fs.mkdir(this.#dir, { recursive: true });
      await fs.writeFile(`${file}.part`, bytes);
      await fs.rename(`${file}.part`, file);
    } catch (error) {
      this.#reject(index, error as Error);
      return;
    }
    if (this.#closed) {
      await fs.rm(this.#dir, { recursive: true, force: true }).catch(() => undefined); // written while close() was deleting
      return;
    }
    if (!this.#made.has(index)) this.emit('space', bytes.length);
    this.#made.set(index, bytes.length);
    for (const waiter of this.#waiters.get(index) ?? []) waiter.resolve(file);
    this.#waiters.delete(index);
    if (run === this.#run) this.#pace();
  }

  /** Lets ffmpeg run while it is less than `ahead` segments past the last fetch. */
  #pace(): void {
    const run = this.#run;
    if (!run || run.ended) return;
    if (run.making > this.#lastFetched + (this.#limits.ahead ?? 5) && this.#waiters.size === 0) run.pause();
    else run.resume();
  }

  /** Deletes segments behind the last fetch and far ahead of it (an earlier run's). */
  #trim(): void {
    const behind = this.#limits.behind ?? 3;
    const ahead = 2 * (this.#limits.ahead ?? 5);
    for (const [index, size] of this.#made) {
      if (index >= this.#lastFetched - behind && index <= this.#lastFetched + ahead) continue;
      this.#made.delete(index);
      this.emit('space', -size);
      fs.rm(this.#path(index), { force: true }).catch(() => undefined);
    }
  }

  #stopRun(): void {
    const run = this.#run;
    this.#run = undefined;
    run?.stop();
  }

  #reject(index: number, error: Error): void {
    for (const waiter of this.#waiters.get(index) ?? []) waiter.reject(error);
    this.#waiters.delete(index);
  }

  #rejectAll(error: Error): void {
    this.#initWaiter?.reject(error);
    this.#initWaiter = undefined;
    for (const index of [...this.#waiters.keys()]) this.#reject(index, error);
  }

  #path(index: number): string {
    return path.join(this.#dir, `${index}.m4s`);
  }
}
