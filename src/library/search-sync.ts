import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { displayName, fromDiskBytes } from './disk-names.ts';
import { transaction } from './index-schema.ts';
import type { MediaKind } from './media-types.ts';
import { isMediaInfo, type MediaInfo } from './media-info.ts';
import type { SearchEntry, SearchIndex } from './search-index.ts';
import { namesWithTags } from './tag-names.ts';
import { parseMediaName } from './titles.ts';
import { stemOf } from './subtitle-names.ts';

// Rows per transaction: a row costs 40–70 µs (the name parsed, FTS5's insert), so a
// batch holds the loop ~10 ms (1,000 held it 70–85 ms, measured in bench/scan.ts).
const BATCH = 200;
// Rows read per step of the pass over the index.
const PAGE = 1_000;

/**
 * Keeps the search index level with the files: after each scan, files with no search
 * row get one (names parsed, tags applied when probed) and rows of files gone are
 * dropped. Done as a pass over the index rather than at each write, so an index from
 * an older NasCast, or one whose pass was cut short by a crash, is completed too.
 */
export class SearchSync {
  readonly #db: DatabaseSync;
  readonly #search: SearchIndex;
  readonly #files: StatementSync;
  readonly #keys: StatementSync;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(db: DatabaseSync, search: SearchIndex) {
    this.#db = db;
    this.#search = search;
    // Walked by key in pages, each one short statement: one query for "every file with no
    // row" scans the whole index in a single step, and held the loop 80 ms at 100,000.
    this.#files = db.prepare(
      `SELECT f.root, f.path, f.kind, f.meta, k.rowid AS key FROM files f LEFT JOIN search_keys k ON k.root = f.root AND k.path = f.path
       WHERE (f.root, f.path) > (?, ?) ORDER BY f.root, f.path LIMIT ${PAGE}`,
    );
    this.#keys = db.prepare(
      `SELECT k.root, k.path, f.kind FROM search_keys k LEFT JOIN files f ON f.root = k.root AND f.path = k.path
       WHERE (k.root, k.path) > (?, ?) ORDER BY k.root, k.path LIMIT ${PAGE}`,
    );
  }

  /** Runs a pass (or one more after the running one); resolves when the index is level. */
  sync(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Ends the running pass at its next page (the database is about to close); resolves once it has. */
  stop(): Promise<void> {
    this.#stopped = true;
    return this.#running ?? Promise.resolve();
  }

  /** Makes one file searchable as what the prober found (its tags win over its name). */
  update(root: string, path: Buffer, kind: MediaKind, info: MediaInfo | undefined): void {
    this.#search.put(root, path, entryOf(fromDiskBytes(path), kind, info));
  }

  async #pass(): Promise<void> {
    do {
      this.#again = false;
      // Rows of files gone (or no longer media) go.
      for await (const page of this.#pages(this.#keys)) {
        const gone = page.filter((row) => !isMedia(row.kind));
        if (gone.length > 0) this.#write(() => gone.forEach((row) => this.#search.remove(row.root, bytesOf(row.path))));
      }
      // Files with no row get one.
      for await (const page of this.#pages(this.#files)) {
        const missing = page.filter((row) => row.key === null && isMedia(row.kind));
        for (let start = 0; start < missing.length && !this.#stopped; start += BATCH) {
          if (start > 0) await yieldToLoop();
          if (this.#stopped) break;
          // A probe may have made a row (with its tags) since the page was read: it stands.
          this.#write(() =>
            missing.slice(start, start + BATCH).forEach((row) => {
              if (!this.#search.has(row.root, bytesOf(row.path))) this.update(row.root, bytesOf(row.path), row.kind as MediaKind, infoOf(row.meta ?? null));
            }),
          );
        }
      }
    } while (this.#again && !this.#stopped);
  }

  // The rows of `statement` page by page, in key order, with a turn of the loop between pages.
  async *#pages(statement: StatementSync): AsyncGenerator<PageRow[]> {
    let after: [string, Uint8Array] = ['', new Uint8Array(0)];
    while (!this.#stopped) {
      const page = statement.all(...after) as unknown as PageRow[];
      if (page.length === 0) return;
      yield page;
      const last = page.at(-1)!;
      after = [last.root, last.path];
      await yieldToLoop();
    }
  }

  #write(work: () => void): void {
    transaction(this.#db, work);
  }
}

interface PageRow {
  readonly root: string;
  readonly path: Uint8Array;
  readonly kind: string | null;
  readonly meta?: string | null;
  readonly key?: number | null;
}

function isMedia(kind: string | null): boolean {
  return kind === 'video' || kind === 'audio' || kind === 'image';
}

/** What is searchable of a file at `path` (inside its root, lossless). */
export function entryOf(path: string, kind: MediaKind, info: MediaInfo | undefined): SearchEntry {
  const parts = path.split('/').map(displayName);
  const name = parts.pop()!;
  const names = namesWithTags(parseMediaName(name, parts, kind), info?.tags, kind);
  const people = [info?.tags.artist, info?.tags.albumArtist].filter((value) => value !== undefined);
  return {
    title: names.title,
    series: names.series,
    album: names.album,
    people: people.length > 0 ? [...new Set(people)].join(' ') : names.artist,
    file: [...parts, stemOf(name)].join(' '),
  };
}

function bytesOf(path: Uint8Array): Buffer {
  return Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}

// A row that is not what the prober writes (an error, damage) gives no tags.
function infoOf(meta: string | null): MediaInfo | undefined {
  if (meta === null) return undefined;
  try {
    const value = JSON.parse(meta) as unknown;
    return isMediaInfo(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
