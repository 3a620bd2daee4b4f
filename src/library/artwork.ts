import { createHash } from 'node:crypto';
import { errorMessage } from '../errors.ts';
import { partLogger, type Logger } from '../logger.ts';
import { FfmpegRunner } from './artwork-ffmpeg.ts';
import { artworkSources } from './artwork-sources.ts';
import { ArtworkStore } from './artwork-store.ts';
import { displayName } from './disk-names.ts';

/** `small` fits 320×320 (grids, lists); `large` fits 1280×1280 (the receiver, details). */
export type ArtworkSize = 'small' | 'large';

/** The box each size fits in, in pixels. */
export const ARTWORK_BOXES: Readonly<Record<ArtworkSize, number>> = { small: 320, large: 1280 };

/** True for a valid {@link ArtworkSize}. */
export function isArtworkSize(value: unknown): value is ArtworkSize {
  return value === 'small' || value === 'large';
}

/** What the cache needs to know of an item. */
export interface ArtworkSubject {
  readonly id: string;
  readonly kind: 'video' | 'audio' | 'image';
  /** Lossless (see `fromDiskBytes`): names need not be UTF-8. */
  readonly absolutePath: string;
  /** Size and mtime (ms) of the file: a change gives new artwork. */
  readonly size: number;
  readonly modified: number;
  /** Seconds, when probed: a video's frame is taken at 10 % of it (else at 10 s). */
  readonly duration?: number;
  /** The embedded cover stream, when probed. */
  readonly cover?: { readonly stream: number; readonly codec: string };
  /** The item's root on disk: no cover file is looked for above it. */
  readonly root?: string;
  /**
   * Asked before the file is read to make artwork (never on a hit), e.g. whether it
   * still resolves inside its root; false means no artwork.
   */
  readonly admit?: () => Promise<boolean>;
}

/** A picture in the cache, ready to serve. */
export interface ArtworkFile {
  readonly path: string;
  readonly bytes: number;
  /** A strong ETag, quoted. */
  readonly etag: string;
  /** The file's mtime, ms since the epoch. */
  readonly modified: number;
  readonly type: 'image/jpeg';
}

/** Options of {@link ArtworkCache}. */
export interface ArtworkCacheOptions {
  /** Folder for the pictures; made if missing. */
  dir: string;
  /** Cap on the folder's size. Default 256 MiB. */
  maxBytes?: number;
  /** Default `ffmpeg` from the PATH. */
  ffmpegPath?: string;
  /** ffmpeg processes at once. Default 1. */
  concurrency?: number;
  /** Deadline per ffmpeg process, after which it is killed. Default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
}

// Part of every key: a change in how pictures are made retires the old ones.
const RECIPE = 'artwork-1';
const MAX_FAILURES = 4096;
// A failure is tried again after this long: it may have been a busy machine's timeout.
const FAILURE_TTL_MS = 60 * 60_000;

/**
 * Artwork for every item, made once by ffmpeg and kept as JPEG files: an audio
 * file's embedded cover or the cover file beside it, a video's poster or a frame
 * of it, a photo's thumbnail. Never throws from {@link ArtworkCache.get}: what
 * cannot be made is `undefined`, and is not tried again for a while.
 */
export class ArtworkCache {
  readonly #store: ArtworkStore;
  readonly #runner: FfmpegRunner;
  readonly #logger: Logger;
  readonly #jobs = new Map<string, Promise<ArtworkFile | undefined>>();
  // Key → when to try again. In insertion order, so the oldest goes first when full.
  readonly #failures = new Map<string, number>();
  #ffmpegMissing = false;
  #warned = false;
  #closed = false;

  constructor(options: ArtworkCacheOptions) {
    this.#store = new ArtworkStore(options.dir, options.maxBytes ?? 256 * 1024 * 1024);
    this.#runner = new FfmpegRunner(options.ffmpegPath ?? 'ffmpeg', options.concurrency ?? 1, options.timeoutMs ?? 30_000);
    this.#logger = partLogger(options.logger);
  }

  /**
   * The picture of `subject` at `size`: from the cache, or made now (requests for
   * the same picture share one ffmpeg run). `undefined` when the item has none,
   * ffmpeg is missing, or the cache is closed.
   */
  get(subject: ArtworkSubject, size: ArtworkSize): Promise<ArtworkFile | undefined> {
    if (this.#closed || !isArtworkSize(size)) return Promise.resolve(undefined);
    const key = artworkKey(subject, size);
    let job = this.#jobs.get(key);
    if (job === undefined) {
      job = this.#find(subject, size, key)
        .catch((error: unknown) => {
          this.#warnOnce(`artwork: cannot make the picture of '${displayName(subject.absolutePath)}': ${errorMessage(error)}`);
          return this.#failed(key);
        })
        .finally(() => this.#jobs.delete(key));
      this.#jobs.set(key, job);
    }
    return job;
  }

  /** Kills running ffmpeg processes and waits for the requests in flight (they get `undefined`). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#runner.close();
    await Promise.allSettled([...this.#jobs.values()]);
  }

  async #find(subject: ArtworkSubject, size: ArtworkSize, key: string): Promise<ArtworkFile | undefined> {
    const retryAt = this.#failures.get(key);
    if (retryAt !== undefined && retryAt > Date.now()) return undefined;
    const stored = await this.#store.lookup(key);
    if (stored !== undefined || this.#ffmpegMissing || this.#closed) return stored;
    if (subject.admit !== undefined && !(await subject.admit())) return this.#failed(key);
    for await (const source of artworkSources(subject, ARTWORK_BOXES[size])) {
      if (this.#ffmpegMissing) return undefined; // found out by a run this one queued behind
      const output = await this.#store.temporary(key);
      const started = performance.now();
      const { outcome, stderr } = await this.#runner.run({ ...source, output });
      if (outcome === 'done') {
        const file = await this.#store.commit(output, key);
        if (file !== undefined) {
          this.#logger.debug(`artwork: ${size} picture of '${displayName(subject.absolutePath)}' from ${source.what} in ${Math.round(performance.now() - started)} ms`);
          return file;
        }
        continue; // ffmpeg wrote nothing: a seek past the end
      }
      await this.#store.discard(output);
      if (outcome === 'closed') return undefined;
      if (outcome === 'missing') {
        if (!this.#ffmpegMissing) this.#logger.warn('artwork: ffmpeg was not found; items are listed without pictures (install ffmpeg to have them)');
        this.#ffmpegMissing = true;
        return undefined;
      }
      this.#logger.debug(`artwork: no picture of '${displayName(subject.absolutePath)}' from ${source.what}: ${outcome === 'timeout' ? 'timed out' : stderr.trim().split('\n').pop()}`);
      if (outcome === 'timeout') break;
    }
    return this.#failed(key);
  }

  #failed(key: string): undefined {
    if (this.#failures.size >= MAX_FAILURES) this.#failures.delete(this.#failures.keys().next().value!);
    this.#failures.delete(key);
    this.#failures.set(key, Date.now() + FAILURE_TTL_MS);
    return undefined;
  }

  // The first trouble is worth a warning; its repetitions only clutter the log.
  #warnOnce(message: string): void {
    if (this.#warned) this.#logger.debug(message);
    else this.#logger.warn(message);
    this.#warned = true;
  }
}

/** The cache key (and file name) of a picture: the item, the size and the file's version. */
function artworkKey(subject: ArtworkSubject, size: ArtworkSize): string {
  return createHash('sha256').update(`${RECIPE}\0${subject.id}\0${size}\0${subject.size}\0${subject.modified}`).digest('hex').slice(0, 32);
}
