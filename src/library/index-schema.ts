import type { DatabaseSync } from 'node:sqlite';

/**
 * The index's schema, as the steps that build it: step `n` takes a file from
 * `user_version` n to n + 1. Steps are only ever appended, so a file written by any
 * earlier NasCast is brought up to date in place and keeps what it holds.
 */
export const MIGRATIONS: readonly string[] = [
  // v1: files and folders by root and path inside it. Paths are BLOBs, the name's
  // bytes on disk: a TEXT column would turn a name that is not UTF-8 into U+FFFD.
  `CREATE TABLE folders (root TEXT NOT NULL, path BLOB NOT NULL, PRIMARY KEY (root, path)) WITHOUT ROWID;
   CREATE TABLE files (
     root TEXT NOT NULL, path BLOB NOT NULL,
     size INTEGER NOT NULL, mtime REAL NOT NULL, kind TEXT NOT NULL, mime TEXT NOT NULL,
     PRIMARY KEY (root, path)
   ) WITHOUT ROWID;`,
  // v2: room for what the prober finds. `probed` is 0 until the file is probed and
  // goes back to 0 when its size or mtime changes; `meta` is the prober's JSON.
  // `id` keeps the file's id (an HMAC: 100,000 of them cost more than reading the
  // index), trusted while `settings` says it was made with the same key; `ord` its
  // place in its folder's natural order (sorting 100,000 names at start-up took
  // longer than reading them).
  `ALTER TABLE files ADD COLUMN probed INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE files ADD COLUMN meta TEXT;
   ALTER TABLE files ADD COLUMN id TEXT;
   ALTER TABLE files ADD COLUMN ord INTEGER;
   CREATE INDEX files_unprobed ON files (probed) WHERE probed = 0;
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // v3: search and watch history. FTS5 (built into node:sqlite) folds accents
  // (remove_diacritics 2: "amelie" finds "Amélie") and keeps prefix indexes, so a
  // search of 100,000 entries costs the V8 heap nothing. An FTS row needs an integer
  // rowid and `files` has none: `search_keys` gives each (root, path) one.
  // `history` is keyed by root and path too, so it outlives a change of key or of the
  // file's size and mtime (a re-encode keeps its place).
  // (The FTS5 table itself is made by ensureSearchTable: not every SQLite has FTS5.)
  `CREATE TABLE search_keys (rowid INTEGER PRIMARY KEY, root TEXT NOT NULL, path BLOB NOT NULL, UNIQUE (root, path));
   CREATE TABLE history (
     root TEXT NOT NULL, path BLOB NOT NULL,
     position REAL NOT NULL, duration REAL, finished INTEGER NOT NULL DEFAULT 0, played_at INTEGER NOT NULL,
     PRIMARY KEY (root, path)
   ) WITHOUT ROWID;
   CREATE INDEX history_recent ON history (played_at);`,
  // v4: `probed` 2 marks a file the prober could not open or finish (retried at each
  // start), indexed so that finding them does not read every row's JSON at start-up
  // (a full scan held the event loop ~50 ms at 100,000 files).
  `UPDATE files SET probed = 2 WHERE probed = 1 AND meta LIKE '{"error":"could not be read%';
   CREATE INDEX files_retry ON files (probed) WHERE probed = 2;`,
];

/**
 * Makes the search table if this SQLite has FTS5, and says whether search is there.
 * Node's official Linux builds have FTS5; some builds of Node 22 before 22.16 (Windows,
 * Homebrew, distributions linking their own SQLite) do not: the library then works
 * without search rather than not at all.
 */
export function ensureSearchTable(db: DatabaseSync): boolean {
  try {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
      title, series, album, people, file,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    )`);
    return true;
  } catch {
    return false;
  }
}

/** The schema version this NasCast writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What {@link migrate} did: the version found, or that the file is from a newer NasCast. */
export type MigrationResult = { readonly from: number } | { readonly newer: number };

/** Brings the file's schema to {@link SCHEMA_VERSION}, each step in its own transaction. */
export function migrate(db: DatabaseSync): MigrationResult {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) return { newer: from };
  for (let version = from; version < SCHEMA_VERSION; version++) {
    // user_version is in the file header, which the transaction covers: a step and its number commit together.
    transaction(db, () => {
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
  ensureSearchTable(db);
  return { from };
}

/** The file's schema version (`PRAGMA user_version`). */
export function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version?: number } | undefined;
  return row?.user_version ?? 0;
}

/**
 * Runs `work` in one transaction: all of it is committed or none. (`node:sqlite`
 * has no helper for this, and `isTransaction` only exists from Node 22.16.)
 */
export function transaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (after SQLITE_FULL, for one): the first error is the one to report.
    }
    throw error;
  }
  db.exec('COMMIT');
}
