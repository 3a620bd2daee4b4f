import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { errnoCode, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { migrate } from './index-schema.ts';
import { IndexStore } from './index-store.ts';
import { loadSqlite } from './sqlite-load.ts';

/** The index's file name in the storage folder. */
export const INDEX_FILE = 'nascast-library.db';

// SQLite's primary result codes for a file that is not (or no longer) a database.
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/**
 * Opens (or creates) the library index. Never throws and never refuses to start: a
 * corrupt file is moved aside with a warning and rebuilt; a file that cannot be
 * opened at all (read-only folder, a directory in the way) gives a warning and
 * `undefined`, and the library then lives in memory as it did before the index.
 */
export async function openIndex(file: string, logger: Logger): Promise<IndexStore | undefined> {
  const shown = JSON.stringify(file);
  try {
    const { DatabaseSync } = await loadSqlite();
    try {
      return open(new DatabaseSync(file), logger, shown);
    } catch (error) {
      if (!isDamaged(error)) throw error;
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(aside + suffix, { force: true });
      for (const suffix of ['', '-wal', '-shm']) moveIfThere(file + suffix, aside + suffix);
      logger.warn(`library index ${shown} is damaged (${reason(error)}); moved aside to ${JSON.stringify(path.basename(aside))}, rebuilding it`);
      return open(new DatabaseSync(file), logger, shown);
    }
  } catch (error) {
    logger.warn(`library index ${shown} cannot be used (${reason(error)}); the library is kept in memory only`);
    return undefined;
  }
}

/**
 * An index in memory, for a library without a storage folder (or whose file cannot
 * be written): probing, search and history work for the life of the process.
 */
export async function openMemoryIndex(): Promise<IndexStore> {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(':memory:');
  migrate(db);
  return new IndexStore(db);
}

function open(db: DatabaseSync, logger: Logger, shown: string): IndexStore {
  try {
    // A file of garbage opens fine: its first read is what fails (SQLITE_NOTADB).
    const check = db.prepare('PRAGMA quick_check(1)').get() as { quick_check?: unknown } | undefined;
    if (check?.quick_check !== 'ok') throw new DamagedIndex(`quick_check: ${String(check?.quick_check)}`);
    useWal(db, logger, shown);
    // NORMAL with WAL: a committed transaction survives a crash of the process (not
    // always a power cut), and commits do not wait for fsync.
    db.exec('PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const migration = migrate(db);
    if ('newer' in migration) throw new DamagedIndex(`schema version ${migration.newer} is from a newer NasCast`);
    return new IndexStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

// WAL lets the index be read while it is written, and it is where a crash loses
// nothing; it needs shared memory, which network filesystems do not give.
function useWal(db: DatabaseSync, logger: Logger, shown: string): void {
  let mode: unknown;
  try {
    mode = (db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: unknown } | undefined)?.journal_mode;
  } catch (error) {
    if (isDamaged(error)) throw error;
    mode = errorMessage(error);
  }
  if (mode === 'wal') return;
  logger.warn(`library index ${shown}: WAL journal refused (${String(mode)}; a network filesystem?); using a rollback journal`);
  db.exec('PRAGMA journal_mode = DELETE');
}

class DamagedIndex extends Error {}

function isDamaged(error: unknown): boolean {
  if (error instanceof DamagedIndex) return true;
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && ((code & 0xff) === SQLITE_CORRUPT || (code & 0xff) === SQLITE_NOTADB);
}

function reason(error: unknown): string {
  const errstr = (error as { errstr?: unknown } | null)?.errstr;
  const message = errorMessage(error);
  return typeof errstr === 'string' && errstr !== message ? `${message}: ${errstr}` : message;
}

function moveIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}
