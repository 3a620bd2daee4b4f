import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fromDiskBytes, toDiskBytes } from './disk-names.ts';
import { isMediaInfo, type MediaInfo } from './media-info.ts';

/** A file the prober has yet to read. */
export interface UnprobedFile {
  readonly root: string;
  /** Inside its root, lossless (see `fromDiskBytes`). */
  readonly path: string;
  readonly kind: 'video' | 'audio' | 'image';
  readonly size: number;
  readonly mtime: number;
}

/** What the index holds of a file's content: what the prober found, or why it could not read it. */
export type StoredProbe = { readonly info: MediaInfo } | { readonly error: string };

/** How far probing has got, over every media file of the index. */
export interface ProbeCounts {
  /** Media files indexed (subtitle files are not counted). */
  readonly files: number;
  /** Of them, probed (successfully or not). */
  readonly probed: number;
  /** Of the probed, the ones the prober could not read (corrupt, empty, timed out). */
  readonly failed: number;
}

const MEDIA_KINDS = "('video', 'audio', 'image')";

/** How the reason of a file the prober could not open starts (see {@link ProbeStore.retryUnreadable}). */
export const UNREADABLE = 'could not be read';

// `files.probed`: 0 to probe, 1 probed (read, or found broken), 2 to try again at the next start.
const PROBED = 1;
const RETRY = 2;

/**
 * The prober's side of the index: which files are left, and what was found. A
 * result is stored only if the file is still the one probed (same size and mtime):
 * a file changed while ffprobe read it goes back in the queue instead.
 */
export class ProbeStore {
  readonly #db: DatabaseSync;
  readonly #next: StatementSync;
  readonly #nextUnder: StatementSync;
  readonly #store: StatementSync;
  readonly #read: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    // Only the roots configured now: rows of others (a CLI run with other roots shares the file) wait for them.
    const columns = `SELECT root, path, kind, size, mtime FROM files WHERE probed = 0 AND kind IN ${MEDIA_KINDS} AND root IN (SELECT value FROM json_each(?))`;
    this.#next = db.prepare(`${columns} LIMIT ?`);
    this.#nextUnder = db.prepare(`${columns} AND root = ? AND (path >= ? AND path < ?) LIMIT ?`);
    this.#store = db.prepare('UPDATE files SET probed = ?, meta = ? WHERE root = ? AND path = ? AND size = ? AND mtime = ?');
    this.#read = db.prepare('SELECT probed, meta FROM files WHERE root = ? AND path = ?');
  }

  /** Up to `limit` files of `roots` left to probe, those under `under` (a folder of one root) when given. */
  next(roots: readonly string[], limit: number, under?: { readonly root: string; readonly folder: string }): UnprobedFile[] {
    const rootList = JSON.stringify(roots);
    let rows: unknown[];
    if (under) {
      const prefix = under.folder === '' ? Buffer.alloc(0) : Buffer.concat([toDiskBytes(under.folder), Buffer.from('/')]);
      // Every path starting with the prefix: below it in byte order, up to the prefix with its last byte raised.
      const end = prefix.length === 0 ? Buffer.from([0xff, 0xff, 0xff, 0xff]) : Buffer.concat([prefix.subarray(0, -1), Buffer.from([prefix.at(-1)! + 1])]);
      rows = this.#nextUnder.all(rootList, under.root, prefix, end, limit);
    } else {
      rows = this.#next.all(rootList, limit);
    }
    return rows.map((row) => {
      const { root, path, kind, size, mtime } = row as { root: string; path: Uint8Array; kind: UnprobedFile['kind']; size: number; mtime: number };
      return { root, path: fromDiskBytes(Buffer.from(path.buffer, path.byteOffset, path.byteLength)), kind, size, mtime };
    });
  }

  /** Keeps what was found for `file`; false if the file changed meanwhile (it stays unprobed). */
  save(file: UnprobedFile, result: StoredProbe): boolean {
    const meta = JSON.stringify('info' in result ? result.info : { error: result.error });
    const state = 'error' in result && result.error.startsWith(UNREADABLE) ? RETRY : PROBED;
    return Number(this.#store.run(state, meta, file.root, toDiskBytes(file.path), file.size, file.mtime).changes) > 0;
  }

  /**
   * Puts files that could not be opened last time (`could not be read`: a share that
   * was away, a permission since fixed) back in the queue: once per start, not in a loop.
   */
  retryUnreadable(): void {
    this.#db.exec(`UPDATE files SET probed = 0, meta = NULL WHERE probed = ${RETRY}`);
  }

  /** What was found for a file, `undefined` while it is not probed (or not indexed). */
  read(root: string, path: string): StoredProbe | undefined {
    const row = this.#read.get(root, toDiskBytes(path)) as { probed: number; meta: string | null } | undefined;
    if (!row || row.probed === 0 || row.meta === null) return undefined;
    return parseStored(row.meta);
  }

  /** Counts over the files of `roots` (one pass; ~20 ms for 100,000 files, so callers cache it). */
  counts(roots: readonly string[]): ProbeCounts {
    const row = this.#db
      .prepare(
        `SELECT count(*) AS files, coalesce(sum(probed > 0), 0) AS probed, coalesce(sum(probed > 0 AND meta LIKE '{"error":%'), 0) AS failed
         FROM files WHERE kind IN ${MEDIA_KINDS} AND root IN (SELECT value FROM json_each(?))`,
      )
      .get(JSON.stringify(roots)) as { files: number; probed: number; failed: number };
    return { files: row.files, probed: row.probed, failed: row.failed };
  }
}

// The column is ours, but the file may have been written by another NasCast version or damaged: checked, never trusted.
function parseStored(meta: string): StoredProbe | undefined {
  try {
    const value = JSON.parse(meta) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string') {
      return { error: (value as { error: string }).error };
    }
    return isMediaInfo(value) ? { info: value } : undefined;
  } catch {
    return undefined;
  }
}
