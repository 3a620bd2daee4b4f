import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import test, { type ExecutionContext } from 'ava';
import { MediaLibrary, type MediaLibraryOptions } from '../src/library/library.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/library/index-schema.ts';
import type { Logger } from '../src/logger.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
}

async function started(t: import('ava').ExecutionContext, root: string, storage: string, options: Partial<MediaLibraryOptions> = {}) {
  const logger = recordingLogger();
  const lib = new MediaLibrary({ roots: [{ name: 'Films', path: root }], logger, rescanInterval: 0, watch: false, storage, ...options });
  await lib.start();
  t.teardown(() => lib.close());
  return { lib, logger };
}

const names = (lib: MediaLibrary): string[] => [...lib.items()].map((item) => item.path);

function rows(file: string, sql: string): Array<Record<string, unknown>> {
  const db = new DatabaseSync(file);
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

test('the index survives a restart: the second start lists the library before its scan ends, with the same ids', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, { 'Series/Episode 1.mkv': 'a', 'Series/Episode 1.en.srt': '1', 'Film.mp4': 'bb', 'Empty/.keep': '' });
  const first = await started(t, root, storage);
  const ids = [...first.lib.items()].map((item) => item.id);
  await first.lib.close();
  t.deepEqual(rows(path.join(storage, 'nascast-library.db'), 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);

  // Gone from disk before the restart: still listed at start (from the index), gone once the scan has run.
  await fs.rm(path.join(root, 'Film.mp4'));
  const logger = recordingLogger();
  const lib = new MediaLibrary({ roots: [{ name: 'Films', path: root }], logger, rescanInterval: 0, watch: false, storage });
  t.teardown(() => lib.close());
  let updated = false;
  lib.on('updated', () => (updated = true));
  await lib.start();
  t.false(updated);
  t.deepEqual([...lib.items()].map((item) => item.id), ids);
  t.deepEqual(names(lib), ['Films/Film.mp4', 'Films/Series/Episode 1.mkv']);
  t.is(lib.folder('Films/Series')!.items[0]!.subtitles[0]!.lang, 'en');
  t.truthy(lib.folder('Films/Empty'));
  t.truthy(await lib.resolveInsideRoot(lib.find('Episode 1')!), 'castable at once');
  await eventually(() => updated, 5000, 'the scan after start-up');
  await eventually(() => names(lib).length === 1, 5000, 'the gone file to go');
  t.deepEqual(names(lib), ['Films/Series/Episode 1.mkv']);
  t.is(lib.find('Episode 1')!.id, first.lib.find('Episode 1')!.id, 'the scan keeps the ids');
  t.deepEqual(logger.warnings, []);
});

test('reconcile picks up new, changed and deleted files; a change resets the probed state', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  const db = path.join(storage, 'nascast-library.db');
  await writeTree(root, { 'a.mp4': 'a', 'b.mp4': 'b', 'c.mp4': 'c' });
  const first = await started(t, root, storage);
  await first.lib.close();
  // What the prober will do: mark files probed.
  const writer = new DatabaseSync(db);
  writer.exec(`UPDATE files SET probed = 1, meta = '{"duration":1}'`);
  writer.close();

  await fs.writeFile(path.join(root, 'a.mp4'), 'changed');
  await fs.rm(path.join(root, 'b.mp4'));
  await writeTree(root, { 'New/d.mp4': 'd' });
  const { lib } = await started(t, root, storage);
  await eventually(() => lib.size === 3 && lib.find('d') !== undefined, 5000, 'the reconcile');
  await lib.close();
  const stored = rows(db, 'SELECT CAST(path AS TEXT) AS path, size, probed, meta FROM files ORDER BY path');
  t.deepEqual(stored, [
    { path: 'New/d.mp4', size: 1, probed: 0, meta: null },
    { path: 'a.mp4', size: 7, probed: 0, meta: null },
    { path: 'c.mp4', size: 1, probed: 1, meta: '{"duration":1}' },
  ]);
  t.deepEqual(rows(db, 'SELECT CAST(path AS TEXT) AS path FROM folders ORDER BY path'), [{ path: '' }, { path: 'New' }]);
});

test('a corrupt index file is moved aside with one warning and rebuilt', async (t) => {
  const root = await tempDir(t);
  await writeTree(root, { 'a.mp4': 'a' });
  for (const damage of ['garbage', 'header', 'pages'] as const) {
    const storage = await tempDir(t, 'nascast-storage-');
    const file = path.join(storage, 'nascast-library.db');
    if (damage === 'garbage') {
      await fs.writeFile(file, Buffer.alloc(8192, 'A'));
    } else {
      const db = new DatabaseSync(file);
      db.exec('PRAGMA journal_mode=DELETE; CREATE TABLE t (x TEXT); BEGIN');
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 5000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`);
      db.exec('COMMIT');
      db.close();
      const handle = await fs.open(file, 'r+');
      // The header's magic, or pages in the middle of the tree.
      if (damage === 'header') await handle.write(Buffer.alloc(16, 0xff), 0, 16, 0);
      else await handle.write(Buffer.alloc(4096 * 20, 0x5a), 0, 4096 * 20, 4096 * 20);
      await handle.close();
    }
    const { lib, logger } = await started(t, root, storage);
    t.deepEqual(names(lib), ['Films/a.mp4'], damage);
    t.is(logger.warnings.length, 1, damage);
    t.regex(logger.warnings[0]!, /library index .* is damaged .*moved aside to "nascast-library\.db\.corrupt-/, damage);
    const listing = await fs.readdir(storage);
    t.true(listing.some((name) => /^nascast-library\.db\.corrupt-[\dT-]+Z$/.test(name)), damage);
    await lib.close();
    t.is(rows(file, 'SELECT count(*) AS n FROM files')[0]!.n, 1, `${damage}: rebuilt`);
  }
});

test('schema version in user_version; an index of the previous version migrates and keeps its rows', async (t) => {
  // A fixture of schema v1, as the first NasCast with an index wrote it.
  const { root, storage, file, stat, old } = await oldIndex(t, 1);
  old.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)').run('Films', Buffer.from('a.mp4'), stat.size, stat.mtimeMs, 'video', 'video/mp4');
  old.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)').run('Films', Buffer.from('gone.mp4'), 1, 1, 'video', 'video/mp4');
  old.close();
  const { lib, logger } = await started(t, root, storage);
  t.deepEqual(names(lib), ['Films/a.mp4', 'Films/gone.mp4'], 'listed from the migrated index');
  await eventually(() => lib.size === 1, 5000, 'the reconcile');
  await lib.close();
  t.deepEqual(logger.warnings, []);
  t.is(SCHEMA_VERSION, 4);
  t.deepEqual(rows(file, 'PRAGMA user_version'), [{ user_version: 4 }]);
  t.deepEqual(rows(file, 'SELECT CAST(path AS TEXT) AS path, probed, meta FROM files'), [{ path: 'a.mp4', probed: 0, meta: null }]);
});

test('an index of schema v2 migrates keeping what the prober stored', async (t) => {
  // A fixture of schema v2, as the NasCast of issue 21's first part wrote it.
  const { root, storage, file, stat, old } = await oldIndex(t, 2);
  old
    .prepare('INSERT INTO files (root, path, size, mtime, kind, mime, probed, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run('Films', Buffer.from('a.mp4'), stat.size, stat.mtimeMs, 'video', 'video/mp4', 1, '{"duration":5}');
  old.close();
  const { lib, logger } = await started(t, root, storage);
  await lib.close();
  t.deepEqual(logger.warnings, []);
  t.deepEqual(rows(file, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION }]);
  t.deepEqual(rows(file, 'SELECT CAST(path AS TEXT) AS path, probed, meta FROM files'), [{ path: 'a.mp4', probed: 1, meta: '{"duration":5}' }]);
});

test('closing while the index is still written and made searchable waits for that work: nothing uses the closed file', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`Series ${i % 20}/Episode ${i}.mkv`, ''])));
  const { lib, logger } = await started(t, root, storage, { probe: false });
  await lib.close(); // at once: the index write and the search pass are queued behind the scan
  t.deepEqual(logger.warnings, []);
  t.true(Number(rows(path.join(storage, 'nascast-library.db'), 'SELECT count(*) AS n FROM files')[0]!.n) === 2000, 'the index written before the close');
});

test('an index from a newer NasCast is set aside, not misread', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, { 'a.mp4': 'a' });
  const future = new DatabaseSync(path.join(storage, 'nascast-library.db'));
  future.exec('PRAGMA user_version = 99');
  future.close();
  const { lib, logger } = await started(t, root, storage);
  t.deepEqual(names(lib), ['Films/a.mp4']);
  t.is(logger.warnings.length, 1);
  t.regex(logger.warnings[0]!, /schema version 99 is from a newer NasCast/);
});

test('names that are not UTF-8 come back from the index byte for byte, with the same ids', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await fs.writeFile(Buffer.concat([Buffer.from(root + '/caf'), Buffer.of(0xe9), Buffer.from('.mp4')]), 'x');
  await fs.writeFile(Buffer.concat([Buffer.from(root + '/caf'), Buffer.of(0xe8), Buffer.from('.mp4')]), 'y');
  const first = await started(t, root, storage);
  const before = [...first.lib.items()].map((item) => [item.id, item.diskName]);
  await first.lib.close();
  const { lib } = await started(t, root, storage);
  t.deepEqual([...lib.items()].map((item) => [item.id, item.diskName]), before);
  t.is(new Set(before.map(([id]) => id)).size, 2);
  t.truthy(await lib.resolveInsideRoot([...lib.items()][0]!));
});

test('ids made with another key are made again; a root name moved to another folder does not show the old files', async (t) => {
  const root = await tempDir(t);
  const other = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, { 'a.mp4': 'a' });
  await writeTree(other, { 'b.mp4': 'b' });
  const first = await started(t, root, storage, { key: Buffer.alloc(32, 1) });
  await first.lib.close();
  const reference = new MediaLibrary({ roots: [{ name: 'Films', path: root }], key: Buffer.alloc(32, 2), watch: false, rescanInterval: 0 });
  await reference.start();
  const expected = [...reference.items()].map((item) => item.id);
  await reference.close();
  const second = await started(t, root, storage, { key: Buffer.alloc(32, 2) });
  t.deepEqual([...second.lib.items()].map((item) => item.id), expected);
  await second.lib.close();

  const moved = await started(t, other, storage, { key: Buffer.alloc(32, 2) });
  t.deepEqual(names(moved.lib), ['Films/b.mp4']);
});

test('after a start from the index, the watcher still sees changes and they reach the index', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, { 'Series/a.mp4': 'a' });
  const first = await started(t, root, storage);
  await first.lib.close();
  const { lib } = await started(t, root, storage, { watch: true, debounce: 50 });
  await eventually(() => lib.find('a') !== undefined, 5000, 'the start');
  await lib.settled(); // the scan after start-up, then the watches
  await writeTree(root, { 'Series/b.mp4': 'b' });
  await eventually(() => lib.find('b') !== undefined, 5000, 'the watcher to see b.mp4');
  await lib.close();
  t.deepEqual(rows(path.join(storage, 'nascast-library.db'), 'SELECT CAST(path AS TEXT) AS path FROM files ORDER BY path'), [{ path: 'Series/a.mp4' }, { path: 'Series/b.mp4' }]);
});

/** An index file of an earlier schema `version` holding the root `Films` (a temp folder with `a.mp4`), open for the fixture's rows. */
async function oldIndex(t: ExecutionContext, version: number) {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  const file = path.join(storage, 'nascast-library.db');
  await writeTree(root, { 'a.mp4': 'a' });
  const stat = await fs.stat(path.join(root, 'a.mp4'));
  const old = new DatabaseSync(file);
  for (const step of MIGRATIONS.slice(0, version)) old.exec(step);
  old.exec(`PRAGMA user_version = ${version}`);
  old.prepare('INSERT INTO folders VALUES (?, ?)').run('Films', Buffer.alloc(0));
  return { root, storage, file, stat, old };
}
