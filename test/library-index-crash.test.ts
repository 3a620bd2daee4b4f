import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import test from 'ava';
import { isSqliteExperimentalWarning, withoutSqliteWarning } from '../src/library/sqlite-load.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';

const here = (file: string): string => JSON.stringify(new URL(file, import.meta.url).href);

function run(script: string, options: { uid?: number; gid?: number } = {}): { child: ReturnType<typeof spawn>; output: Promise<string>; stdout: Promise<string> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, output: closed.then(() => output), stdout: closed.then(() => stdout) };
}

test('killed with SIGKILL mid-write, the index opens and holds every committed batch, and no partial one', async (t) => {
  const storage = await tempDir(t, 'nascast-storage-');
  const file = path.join(storage, 'nascast-library.db');
  // Batches of 2,000 new files, one transaction each, without end: the kill lands in one.
  const script = `
    import { openIndex } from ${here('../src/library/index-open.ts')};
    const logger = { debug() {}, info() {}, warn: console.error, error: console.error };
    const store = await openIndex(${JSON.stringify(file)}, logger);
    const files = new Map();
    for (let round = 0; ; round++) {
      for (let i = 0; i < 2000; i++) {
        const name = 'Folder ' + round + '/Episode ' + i + '.mkv';
        files.set(name, { path: name, size: i, mtime: round, kind: 'video', mime: 'video/x-matroska', id: null, ord: i });
      }
      await store.reconcile('Films', '', { files, folders: new Set(['']), unreadable: [] });
      console.log('committed', files.size);
    }
  `;
  const { child, output } = run(script);
  let committed = 0;
  await new Promise<void>((resolve) => {
    child.on('close', () => resolve()); // it failed: the checks below say how
    child.stdout!.on('data', (chunk: Buffer) => {
      const counts = [...chunk.toString().matchAll(/committed (\d+)/g)].map((match) => Number(match[1]));
      committed = Math.max(committed, ...counts);
      if (committed >= 6000) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  const log = await output;
  t.is(child.signalCode, 'SIGKILL', log);
  t.true((await fs.readdir(storage)).includes('nascast-library.db-wal'), 'killed before the WAL was checkpointed');
  const db = new DatabaseSync(file);
  t.deepEqual(db.prepare('PRAGMA quick_check').all(), [{ quick_check: 'ok' }]);
  const count = (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
  db.close();
  t.true(count >= committed, `${count} rows, ${committed} reported committed`);
  t.is(count % 2000, 0, 'whole batches only');
});

test('a storage folder that cannot be written: one warning, and the library works in memory', async (t) => {
  const root = await tempDir(t);
  const storage = await tempDir(t, 'nascast-storage-');
  await writeTree(root, { 'a.mp4': 'a' });
  await fs.chmod(root, 0o755);
  await fs.chmod(storage, 0o555);
  t.teardown(() => fs.chmod(storage, 0o755));
  const script = `
    import { MediaLibrary } from ${here('../src/library/library.ts')};
    const warnings = [];
    const logger = { debug() {}, info() {}, error: (m) => warnings.push(m), warn: (m) => warnings.push(m) };
    const lib = new MediaLibrary({ roots: [{ name: 'Films', path: ${JSON.stringify(root)} }], logger, watch: false, rescanInterval: 0, storage: ${JSON.stringify(storage)} });
    await lib.start();
    console.log(JSON.stringify({ names: [...lib.items()].map((i) => i.name), warnings }));
    await lib.close();
  `;
  // Root writes anywhere, so the library runs as an unprivileged user when we are root.
  const { stdout } = run(script, process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {});
  const text = await stdout;
  const result = JSON.parse(text) as { names: string[]; warnings: string[] };
  t.deepEqual(result.names, ['a.mp4']);
  t.is(result.warnings.length, 1, text);
  t.regex(result.warnings[0]!, /library index .*nascast-library\.db.* cannot be used \(.*\); the library is kept in memory only/);
  t.deepEqual(await fs.readdir(storage), []);
});

test('the Node 22 warning filter drops exactly the SQLite ExperimentalWarning', async (t) => {
  const message = 'SQLite is an experimental feature and might change at any time';
  t.true(isSqliteExperimentalWarning(message, 'ExperimentalWarning'));
  t.true(isSqliteExperimentalWarning(Object.assign(new Error(message), { name: 'ExperimentalWarning' })));
  t.false(isSqliteExperimentalWarning(message, 'DeprecationWarning'));
  t.false(isSqliteExperimentalWarning(message));
  t.false(isSqliteExperimentalWarning('VM Modules is an experimental feature and might change at any time', 'ExperimentalWarning'));
  t.false(isSqliteExperimentalWarning(undefined, 'ExperimentalWarning'));

  const seen: string[] = [];
  const listener = (warning: Error): void => void seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  t.teardown(() => process.off('warning', listener));
  const original = process.emitWarning;
  const value = await withoutSqliteWarning(() => {
    process.emitWarning(message, 'ExperimentalWarning');
    process.emitWarning(message, { type: 'ExperimentalWarning' });
    process.emitWarning('something else', 'ExperimentalWarning');
    return Promise.resolve(42);
  });
  t.is(value, 42);
  t.is(process.emitWarning, original, 'put back after the load');
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  t.deepEqual(seen, ['ExperimentalWarning: something else']);
});

test('loading node:sqlite through the filter prints nothing', async (t) => {
  const { output } = run(`import { loadSqlite } from ${here('../src/library/sqlite-load.ts')}; const { DatabaseSync } = await loadSqlite(); new DatabaseSync(':memory:').close();`);
  // Only SQLite's warning is looked for: Node 22 runs these tests with type stripping, which warns too.
  t.notRegex(await output, /SQLite/);
});
