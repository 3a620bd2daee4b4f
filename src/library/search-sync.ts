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
  readonly #filesEnd: StatementSync;
  readonly #missing: StatementSync;
  readonly #missingToEnd: StatementSync;
  readonly #keysEnd: StatementSync;
  readonly #gone: StatementSync;
  readonly #goneToEnd: StatementSync;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(db: DatabaseSync, search: SearchIndex) {
    this.#db = db;
    this.#search = search;
    // Walked by key in pages, each one short statement: one query for "every file with no
    // row" scans the whole index in a single step, and held the loop 80 ms at 100,000.
    // A page is a range of keys (its end found first); within it SQLite returns only the
    // rows to act on. Reading every row of the page (with its probe JSON) to pick them in
    // JS allocated 11 MB at each start of a 10,000-file library already level, and what a
    // page kept alive across collections grew the old generation.
    const media = "('video', 'audio', 'image')";
    const noRow = 'NOT EXISTS (SELECT 1 FROM search_keys k WHERE k.root = f.root AND k.path = f.path)';
    const noFile = `NOT EXISTS (SELECT 1 FROM files f WHERE f.root = k.root AND f.path = k.path AND f.kind IN ${media})`;
    this.#filesEnd = db.prepare(`SELECT root, path FROM files WHERE (root, path) > (?, ?) ORDER BY root, path LIMIT 1 OFFSET ${PAGE - 1}`);
    const missing = `SELECT f.root, f.path, f.kind, f.meta FROM files f WHERE (f.root, f.path) > (?, ?)`;
    this.#missing = db.prepare(`${missing} AND (f.root, f.path) <= (?, ?) AND f.kind IN ${media} AND ${noRow}`);
    this.#missingToEnd = db.prepare(`${missing} AND f.kind IN ${media} AND ${noRow}`);
    this.#keysEnd = db.prepare(`SELECT root, path FROM search_keys WHERE (root, path) > (?, ?) ORDER BY root, path LIMIT 1 OFFSET ${PAGE - 1}`);
    const gone = 'SELECT k.root, k.path FROM search_keys k WHERE (k.root, k.path) > (?, ?)';
    this.#gone = db.prepare(`${gone} AND (k.root, k.path) <= (?, ?) AND ${noFile}`);
    this.#goneToEnd = db.prepare(`${gone} AND ${noFile}`);
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
      for await (const gone of this.#pages(this.#keysEnd, this.#gone, this.#goneToEnd)) {
        if (gone.length > 0) this.#write(() => gone.forEach((row) => this.#search.remove(row.root, bytesOf(row.path))));
      }
      // Files with no row get one.
      for await (const missing of this.#pages(this.#filesEnd, this.#missing, this.#missingToEnd)) {
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

  // Page by page in key order (`end` finds a page's last key; `within` and `toEnd` the rows
  // to act on up to it, or to the end), with a turn of the loop between pages.
  async *#pages(end: StatementSync, within: StatementSync, toEnd: StatementSync): AsyncGenerator<PageRow[]> {
    let after: [string, Uint8Array] = ['', new Uint8Array(0)];
    while (!this.#stopped) {
      const last = end.get(...after) as unknown as PageRow | undefined;
      if (!last) {
        yield toEnd.all(...after) as unknown as PageRow[];
        return;
      }
      yield within.all(...after, last.root, last.path) as unknown as PageRow[];
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
  readonly kind?: string;
  readonly meta?: string | null;
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
