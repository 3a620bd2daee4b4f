// Every converted stream of a running NasCast: at most N at once (ERR_BUSY beyond), their
// segments under one temp folder with a size cap, emptied at start (what a crash left),
// ffmpeg stopped when nothing is fetched for a while, and the stream dropped later.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BusyError, ConversionError, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ConversionStream, type StreamLimits, type StreamSource } from './conversion-stream.ts';
import type { VideoEncoder } from './ffmpeg-args.ts';
import { findVideoEncoder, type EncoderProbeOptions, type VideoEncoderChoice } from './video-encoders.ts';

/** Options of {@link Conversions}. */
export interface ConversionsOptions extends Omit<StreamLimits, 'encoder'>, EncoderProbeOptions {
  /** The H.264 encoder of video conversions: `auto` (default) uses a hardware one that works, else libx264. */
  readonly videoEncoder?: VideoEncoderChoice;
  /** The folder segments are written under; emptied at start. */
  readonly dir: string;
  /** Streams converting at once. Default: the CPU count, at least 1. */
  readonly maxConversions?: number;
  /** Bytes of segments kept on disk, all streams together. Default 2 GiB. */
  readonly maxTempBytes?: number;
  /** ffmpeg stops when a stream has not been fetched from for this long. Default 30 000 ms. */
  readonly idleMs?: number;
  /** A stream not fetched from for this long is dropped with its segments. Default 10 minutes. */
  readonly dropMs?: number;
  readonly logger?: Logger;
}

/** The converted streams, by key (the item and its plan). */
export class Conversions {
  readonly #options: ConversionsOptions;
  readonly #streams = new Map<string, ConversionStream>();
  readonly #opening = new Map<string, Promise<ConversionStream>>();
  #bytes = 0;
  #opened = 0;
  #available = true;
  #closed = false;
  #checked: Promise<boolean> | undefined;
  #encoder: Promise<VideoEncoder> | undefined;
  #dir: string;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: ConversionsOptions) {
    this.#options = options;
    this.#dir = options.dir;
  }

  /** How many streams may convert at once. */
  get limit(): number {
    return this.#options.maxConversions ?? Math.max(1, os.availableParallelism());
  }

  /** Bytes of segments on disk now. */
  get tempBytes(): number {
    return this.#bytes;
  }

  /**
   * Whether ffmpeg runs (see {@link checkFfmpeg}): without it files play as they are, or
   * are refused in words. True until checked: a conversion then fails in words instead.
   */
  get available(): boolean {
    return this.#available;
  }

  /**
   * Runs `ffmpeg -version` once (the first cast that may need it waits for it): not at
   * start, where a process spawned for nothing would cost every start, conversion or not.
   */
  checkFfmpeg(): Promise<boolean> {
    this.#checked ??= new Promise<boolean>((resolve) => execFile(this.#options.ffmpegPath ?? 'ffmpeg', ['-hide_banner', '-version'], { timeout: 10_000 }, (error) => resolve(!error))).then((works) => {
      this.#available = works;
      if (!works) this.#options.logger?.warn(`ffmpeg cannot be run (${this.#options.ffmpegPath ?? 'ffmpeg'}): files a device cannot play as they are will not be converted; install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg) or set ffmpegPath`);
      return works;
    });
    return this.#checked;
  }

  /** The H.264 encoder video conversions use, found by a test encode at the first one (and kept). */
  videoEncoder(): Promise<VideoEncoder> {
    this.#encoder ??= findVideoEncoder(this.#options.videoEncoder ?? 'auto', this.#options, (message) => this.#options.logger?.warn(message)).then((encoder) => {
      this.#options.logger?.info(`Video conversions use ${encoder.name}`);
      return encoder;
    });
    return this.#encoder;
  }

  /** Empties the folder (segments a crash left), and starts the idle sweep. A folder that cannot be made is replaced by one in the temp folder. */
  async start(): Promise<void> {
    try {
      await fs.rm(this.#dir, { recursive: true, force: true });
      await fs.mkdir(this.#dir, { recursive: true });
    } catch (error) {
      const fallback = defaultStreamDir();
      this.#options.logger?.warn(`cannot keep converted segments in ${this.#dir} (${errorMessage(error)}); using ${fallback}`);
      this.#dir = fallback;
      await fs.mkdir(this.#dir, { recursive: true });
    }
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(5000, this.#options.idleMs ?? 30_000)).unref();
  }

  /** Stops every ffmpeg and deletes every segment. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    await Promise.all(streams.map((stream) => stream.close()));
    await fs.rm(this.#dir, { recursive: true, force: true });
  }

  /** The stream of `key`, if it is open. */
  get(key: string): ConversionStream | undefined {
    return this.#streams.get(key);
  }

  /**
   * Throws {@link BusyError} when a new stream `key` would be one too many: asked
   * before a device is told to play it, so the refusal comes in words, not as its error.
   */
  assertRoom(key: string): void {
    if (this.#streams.has(key)) return;
    if (this.#active().length >= this.limit) throw new BusyError(this.limit);
  }

  /** The stream of `key`, opened from `source` when it is not open; {@link BusyError} when one too many. */
  async open(key: string, source: () => Promise<StreamSource>): Promise<ConversionStream> {
    const open = this.#streams.get(key);
    if (open) return open;
    // Asked for at once by the playlist and the init segment: opened once.
    const opening = this.#opening.get(key);
    if (opening) return opening;
    this.assertRoom(key);
    const made = this.#make(key, source).finally(() => this.#opening.delete(key));
    this.#opening.set(key, made);
    return made;
  }

  async #make(key: string, source: () => Promise<StreamSource>): Promise<ConversionStream> {
    const made = await source();
    const encoder = made.plan.video?.encode ? await this.videoEncoder() : undefined;
    // Closed while the keyframes were read (NasCast stopping): nothing is started after it.
    if (this.#closed) throw new ConversionError(made.name, 'NasCast is stopping');
    this.assertRoom(key);
    const stream = new ConversionStream(made, path.join(this.#dir, `stream-${++this.#opened}`), { ...this.#options, ...(encoder && { encoder }) });
    stream.on('space', (bytes) => {
      this.#bytes += bytes;
      if (this.#bytes > (this.#options.maxTempBytes ?? 2 * 1024 ** 3)) this.#overCap(stream);
    });
    stream.on('error', (error) => this.#options.logger?.warn(`Converting ${made.name} failed: ${errorMessage(error)}`));
    this.#streams.set(key, stream);
    return stream;
  }

  /** Stops and drops the stream of `key` (its player stopped). */
  async drop(key: string): Promise<void> {
    const stream = this.#streams.get(key);
    if (!stream) return;
    this.#streams.delete(key);
    await stream.close();
  }

  /** Streams that count against the limit: converting, or fetched from lately. */
  #active(): ConversionStream[] {
    const idleMs = this.#options.idleMs ?? 30_000;
    return [...this.#streams.values()].filter((stream) => stream.converting || Date.now() - stream.lastUsed < idleMs);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, stream] of this.#streams) {
      if (now - stream.lastUsed > (this.#options.dropMs ?? 600_000)) void this.drop(key).catch(() => undefined);
      else if (now - stream.lastUsed > (this.#options.idleMs ?? 30_000) && stream.converting) stream.idle();
    }
  }

  /** Over the cap: drops the streams used longest ago, never the one writing. */
  #overCap(writing: ConversionStream): void {
    const cap = this.#options.maxTempBytes ?? 2 * 1024 ** 3;
    const others = [...this.#streams.entries()].filter(([, stream]) => stream !== writing).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    let bytes = this.#bytes;
    for (const [key, stream] of others) {
      if (bytes <= cap) return;
      bytes -= stream.bytes;
      void this.drop(key).catch(() => undefined);
    }
  }
}

const STREAMS_PARENT = (): string => path.join(os.tmpdir(), `nascast-streams-${process.getuid?.() ?? 'user'}`);

let defaultDirs = 0;

/** A stream folder when no storage folder is given: one per server, so two NasCasts (in one process or two) never empty each other's. */
export function defaultStreamDir(): string {
  return path.join(STREAMS_PARENT(), `${process.pid}-${++defaultDirs}`);
}

/** Removes the default stream folders of processes that are gone (a crash leaves its segments behind). */
export async function removeStaleStreamDirs(): Promise<void> {
  const parent = STREAMS_PARENT();
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    entries
      .map((entry) => ({ entry, pid: Number(/^(\d+)-\d+$/.exec(entry)?.[1]) }))
      .filter(({ pid }) => Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid))
      .map(({ entry }) => fs.rm(path.join(parent, entry), { recursive: true, force: true })),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
