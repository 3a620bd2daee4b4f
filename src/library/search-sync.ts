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

// Rows per transaction: parsing a name is the cost (~10 µs), so ~20 ms of the loop each.
const BATCH = 1_000;

/**
 * Keeps the search index level with the files: after each scan, files with no search
 * row get one (names parsed, tags applied when probed) and rows of files gone are
 * dropped. Done as a pass over the index rather than at each write, so an index from
 * an older NasCast, or one whose pass was cut short by a crash, is completed too.
 */
export class SearchSync {
  readonly #db: DatabaseSync;
  readonly #search: SearchIndex;
  readonly #missing: StatementSync;
  readonly #orphans: StatementSync;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(db: DatabaseSync, search: SearchIndex) {
    this.#db = db;
    this.#search = search;
    this.#missing = db.prepare(
      `SELECT f.root, f.path, f.kind, f.meta FROM files f WHERE f.kind IN ('video', 'audio', 'image')
       AND NOT EXISTS (SELECT 1 FROM search_keys k WHERE k.root = f.root AND k.path = f.path) LIMIT ${BATCH}`,
    );
    this.#orphans = db.prepare(`SELECT k.root, k.path FROM search_keys k WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.root = k.root AND f.path = k.path) LIMIT ${BATCH}`);
  }

  /** Runs a pass (or one more after the running one); resolves when the index is level. */
  sync(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Makes one file searchable as what the prober found (its tags win over its name). */
  update(root: string, path: Buffer, kind: MediaKind, info: MediaInfo | undefined): void {
    this.#search.put(root, path, entryOf(fromDiskBytes(path), kind, info));
  }

  async #pass(): Promise<void> {
    do {
      this.#again = false;
      for (;;) {
        const rows = this.#orphans.all() as Array<{ root: string; path: Uint8Array }>;
        if (rows.length === 0) break;
        transaction(this.#db, () => {
          for (const row of rows) this.#search.remove(row.root, bytesOf(row.path));
        });
        await yieldToLoop();
      }
      for (;;) {
        const rows = this.#missing.all() as Array<{ root: string; path: Uint8Array; kind: MediaKind; meta: string | null }>;
        if (rows.length === 0) break;
        transaction(this.#db, () => {
          for (const row of rows) this.update(row.root, bytesOf(row.path), row.kind, infoOf(row.meta));
        });
        await yieldToLoop();
      }
    } while (this.#again);
  }
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
