import os from 'node:os';
import path from 'node:path';
import { errorMessage, FfmpegMissingError, MediaProbeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { probeFile } from './ffprobe-run.ts';
import type { MediaInfo } from './media-info.ts';
import type { MediaKind } from './media-types.ts';
import { type ProbeCounts, type ProbeStore, type StoredProbe, UNREADABLE, type UnprobedFile } from './probe-store.ts';

/** Options of {@link Prober}. */
export interface ProberOptions {
  readonly store: ProbeStore;
  /** The configured roots: name and folder on disk. */
  readonly roots: ReadonlyMap<string, string>;
  /** Whether a root can be read now: the files of one that is away wait for it (not marked unreadable). */
  readonly available?: ((root: string) => boolean) | undefined;
  readonly logger: Logger;
  readonly ffprobePath?: string | undefined;
  /** Files probed at once. Default: half the CPUs, 1 or 2 (the NAS has other work, and a probe's open of a hung share holds one of libuv's 4 threads). */
  readonly concurrency?: number | undefined;
  /** A file that keeps ffprobe longer than this is given up as unreadable. Default 30 s. */
  readonly timeoutMs?: number | undefined;
  /** The index failed under the prober (disk full, file gone): it stops; the owner decides the rest. */
  readonly onStoreFailure: (error: unknown) => void;
  /** Called after each stored result, with the file and what was found. */
  readonly onProbed?: ((file: UnprobedFile, result: MediaInfo | undefined) => void) | undefined;
  /** The probe itself (tests replace it); default ffprobe through `probeFile`. */
  readonly probe?: ((file: string, kind: MediaKind, signal: AbortSignal) => Promise<MediaInfo>) | undefined;
}

/** Where probing stands, for `/api/status` and `nascast library`. */
export interface ProbeProgress extends ProbeCounts {
  /** Whether files are being probed now. */
  readonly running: boolean;
  /** False when ffprobe is not installed (names and sizes only). */
  readonly available: boolean;
}

const BATCH = 32;
const MAX_WANTED = 8;

/**
 * Probes every media file of the index once, in the background: a bounded pool of
 * ffprobe processes at low CPU priority, the folders someone browses or casts from
 * first ({@link want}). Results go to the index against the file's size and mtime,
 * so a restart probes only what is new or changed. A file ffprobe cannot read is
 * stored with the reason; without ffprobe the prober stops after one warning.
 */
export class Prober {
  readonly #options: ProberOptions;
  readonly #concurrency: number;
  readonly #abort = new AbortController();
  // Folders asked for first, most recent last (bounded: a browsing session names many).
  readonly #wanted: Array<{ root: string; folder: string }> = [];
  readonly #inFlight = new Set<string>();
  #queue: UnprobedFile[] = [];
  #workers = 0;
  #counts: ProbeCounts | undefined;
  #available = true;
  #closed = false;

  constructor(options: ProberOptions) {
    this.#options = options;
    this.#concurrency = options.concurrency ?? Math.min(2, Math.max(1, Math.floor(os.availableParallelism() / 2)));
  }

  /** Looks for unprobed files and probes them (after a scan wrote new ones). */
  wake(): void {
    this.#counts = undefined;
    this.#fill();
  }

  /** Probes this folder's files next (a folder of `root`, `''` for the root). */
  want(root: string, folder: string): void {
    const at = this.#wanted.findIndex((entry) => entry.root === root && entry.folder === folder);
    if (at >= 0) this.#wanted.splice(at, 1);
    this.#wanted.push({ root, folder });
    if (this.#wanted.length > MAX_WANTED) this.#wanted.shift();
    this.#queue = []; // refilled with the wanted folder first
    this.#fill();
  }

  /** How far probing has got. */
  progress(): ProbeProgress {
    this.#counts ??= this.#options.store.counts([...this.#options.roots.keys()]);
    return { ...this.#counts, running: this.#workers > 0, available: this.#available };
  }

  /** Stops: running probes are killed, nothing more is started. */
  close(): void {
    this.#closed = true;
    this.#abort.abort();
  }

  #fill(): void {
    while (!this.#closed && this.#available && this.#workers < this.#concurrency) {
      let file: UnprobedFile | undefined;
      try {
        file = this.#take();
      } catch (error) {
        this.#storeFailed(error);
        return;
      }
      if (!file) return;
      const key = keyOf(file);
      this.#workers++;
      this.#inFlight.add(key);
      this.#probe(file)
        .catch((error: unknown) => this.#storeFailed(error))
        .finally(() => {
          this.#workers--;
          this.#inFlight.delete(key);
          this.#fill();
        });
    }
  }

  #take(): UnprobedFile | undefined {
    if (this.#queue.length === 0) this.#queue = this.#batch();
    return this.#queue.shift();
  }

  #batch(): UnprobedFile[] {
    const store = this.#options.store;
    const roots = [...this.#options.roots.keys()].filter((root) => this.#options.available?.(root) ?? true);
    const fresh = (files: UnprobedFile[]): UnprobedFile[] => files.filter((file) => !this.#inFlight.has(keyOf(file)));
    for (let i = this.#wanted.length - 1; i >= 0; i--) {
      const files = fresh(store.next(roots, BATCH + this.#inFlight.size, this.#wanted[i]));
      if (files.length > 0) return files;
      this.#wanted.splice(i, 1); // done with that folder
    }
    return fresh(store.next(roots, BATCH + this.#inFlight.size));
  }

  async #probe(file: UnprobedFile): Promise<void> {
    const rootPath = this.#options.roots.get(file.root)!;
    const probe = this.#options.probe ?? ((name, kind, signal) => probeFile(name, kind, { ffprobePath: this.#options.ffprobePath, timeoutMs: this.#options.timeoutMs, signal }));
    let found: StoredProbe;
    try {
      found = { info: await probe(path.join(rootPath, file.path), file.kind, this.#abort.signal) };
    } catch (error) {
      if (this.#closed) return;
      if (error instanceof FfmpegMissingError) return this.#missing(error);
      // A file that cannot be opened (gone since the scan, a share away) or that ffprobe
      // did not finish in time (a slow disk) is not known to be broken: marked so the
      // queue moves on, retried at the next start, and not refused when cast.
      const definite = error instanceof MediaProbeError && !error.timedOut;
      found = { error: definite ? error.reason : `${UNREADABLE}: ${error instanceof MediaProbeError ? error.reason : errorMessage(error)}` };
    }
    if (this.#closed || !this.#options.store.save(file, found)) return;
    if (this.#counts) this.#counts = { ...this.#counts, probed: this.#counts.probed + 1, failed: this.#counts.failed + ('error' in found ? 1 : 0) };
    this.#options.onProbed?.(file, 'info' in found ? found.info : undefined);
  }

  #storeFailed(error: unknown): void {
    if (this.#closed) return;
    this.close();
    this.#options.onStoreFailure(error);
  }

  #missing(error: FfmpegMissingError): void {
    if (!this.#available) return;
    this.#available = false;
    this.#queue = [];
    this.#options.logger.warn(`${error.message}. Until then the library shows names and sizes only: no durations, tags or artwork.`);
  }
}

function keyOf(file: UnprobedFile): string {
  return `${file.root}\0${file.path}`;
}
