import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArtworkFile } from './artwork.ts';

const CACHE_NAME = /^[0-9a-f]{32}\.jpg$/;
const TEMPORARY_NAME = /^[0-9a-f]{32}\.\d+-\d+\.tmp$/;
// A temporary file this old is a crash's leftover, not another process's work in progress.
const STALE_TEMPORARY_MS = 10 * 60_000;
const STAT_BATCH = 64;

interface Entry {
  bytes: number;
}

/**
 * The artwork files on disk, `<key>.jpg` in one folder, under a size cap. Use is
 * tracked in memory (a Map in least-recently-used order, seeded from the files'
 * mtimes when first needed), so a hit costs one `stat` and writes nothing.
 */
export class ArtworkStore {
  readonly #dir: string;
  readonly #maxBytes: number;
  // Insertion order is use order: a hit moves its entry to the end.
  readonly #entries = new Map<string, Entry>();
  #total = 0;
  #ready: Promise<void> | undefined;
  #sequence = 0;

  constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
  }

  /** The stored picture for `key`, marked as just used; `undefined` if there is none. */
  async lookup(key: string): Promise<ArtworkFile | undefined> {
    await this.#init();
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const file = await this.#describe(key);
    if (file === undefined) {
      this.#forget(key); // removed behind our back
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return file;
  }

  /** A fresh temporary name in the folder, for ffmpeg to write to. */
  async temporary(key: string): Promise<string> {
    await this.#init();
    return path.join(this.#dir, `${key}.${process.pid}-${++this.#sequence}.tmp`);
  }

  /**
   * Renames a finished temporary file to `key`'s name (so the final name never
   * holds half a JPEG), then trims the folder to the cap. An empty file is no
   * picture: it is removed and `undefined` returned.
   */
  async commit(temporary: string, key: string): Promise<ArtworkFile | undefined> {
    const stat = await fs.stat(temporary).catch(() => undefined);
    if (stat === undefined || stat.size === 0) {
      await this.discard(temporary);
      return undefined;
    }
    await fs.rename(temporary, this.#pathOf(key));
    this.#forget(key);
    this.#entries.set(key, { bytes: stat.size });
    this.#total += stat.size;
    await this.#trim(key);
    return this.#describe(key);
  }

  /** Removes a temporary file that holds no picture. */
  async discard(temporary: string): Promise<void> {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
  }

  /** Bytes stored, as tracked. */
  get totalBytes(): number {
    return this.#total;
  }

  // Over the cap, the least recently used files go until 90 % of it is left.
  async #trim(keep: string): Promise<void> {
    if (this.#total <= this.#maxBytes) return;
    const target = this.#maxBytes * 0.9;
    for (const [key] of this.#entries) {
      if (this.#total <= target) break;
      if (key === keep) continue;
      this.#forget(key);
      await fs.rm(this.#pathOf(key), { force: true }).catch(() => undefined);
    }
  }

  #forget(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#total -= entry.bytes;
    this.#entries.delete(key);
  }

  async #describe(key: string): Promise<ArtworkFile | undefined> {
    const file = this.#pathOf(key);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat === undefined) return undefined;
    const etag = `"art-${key.slice(0, 16)}-${stat.size.toString(16)}-${Math.round(stat.mtimeMs).toString(16)}"`;
    return { path: file, bytes: stat.size, etag, modified: stat.mtimeMs, type: 'image/jpeg' };
  }

  #pathOf(key: string): string {
    return path.join(this.#dir, `${key}.jpg`);
  }

  #init(): Promise<void> {
    // A failure is not kept: the next request tries again (the folder may be made by then).
    this.#ready ??= this.#load().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  // What earlier runs left, oldest first: their mtimes stand for their last use.
  async #load(): Promise<void> {
    await fs.mkdir(this.#dir, { recursive: true });
    const names = await fs.readdir(this.#dir);
    const found: Array<{ key: string; bytes: number; mtime: number }> = [];
    for (let start = 0; start < names.length; start += STAT_BATCH) {
      await Promise.all(
        names.slice(start, start + STAT_BATCH).map(async (name) => {
          const cached = CACHE_NAME.test(name);
          if (!cached && !TEMPORARY_NAME.test(name)) return;
          const file = path.join(this.#dir, name);
          const stat = await fs.stat(file).catch(() => undefined);
          if (stat === undefined || !stat.isFile()) return;
          if (cached) found.push({ key: name.slice(0, -4), bytes: stat.size, mtime: stat.mtimeMs });
          else if (Date.now() - stat.mtimeMs > STALE_TEMPORARY_MS) await fs.rm(file, { force: true }).catch(() => undefined);
        }),
      );
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const { key, bytes } of found) {
      if (this.#entries.has(key)) continue; // written by this process while loading
      this.#entries.set(key, { bytes });
      this.#total += bytes;
    }
  }
}
