// The scan's lister in its own process: a folder that hangs (a NAS mount gone quiet) is
// given up at the deadline, its process killed, and the next folder is listed by a new one.
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { FolderReader } from '../src/library/folder-reader.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';

test('a listing that hangs fails with ETIMEDOUT, its process is killed, the share is left alone for a while, then listed again', async (t) => {
  const dir = await tempDir(t);
  await writeTree(dir, { 'Films/a.mp4': 'x', 'Films/notes.txt': 'x', 'Films/a.en.srt': 'x', 'Films/Sub/b.mp4': 'x' });
  // A lister that never answers for a folder named "hang", as a syscall on a dead mount would not return.
  const script = path.join(dir, 'hanging-lister.ts');
  const real = new URL('../src/library/folder-listing.ts', import.meta.url).href;
  await fs.writeFile(
    script,
    `import { listFolder } from ${JSON.stringify(real)};
     process.on('message', (r) => {
       if (r.absolute.endsWith('/hang')) return;
       try { process.send({ id: r.id, listing: listFolder(r.absolute, r.realRoot) }); }
       catch (e) { process.send({ id: r.id, error: { message: e.message, code: e.code } }); }
     });
     process.on('disconnect', () => process.exit(0));`,
  );
  await fs.mkdir(path.join(dir, 'hang'));
  // The deadline also covers starting the lister process, which a loaded machine can take seconds for.
  // The pause after a hang runs on a clock the test moves on, rather than a sleep.
  let clock = 0;
  const reader = new FolderReader({ timeoutMs: 5_000, script: new URL(`file://${script}`), now: () => clock });
  t.teardown(() => reader.close());

  const listing = await reader.list(path.join(dir, 'Films'), dir);
  t.deepEqual(
    listing.entries.map((entry) => [entry.type, entry.disk]).sort(),
    [['folder', 'Sub'], ['media', 'a.mp4'], ['subtitle', 'a.en.srt']],
    'media, subtitles and folders; other files left out',
  );
  const started = Date.now();
  const error = await t.throwsAsync(reader.list(path.join(dir, 'hang'), dir));
  t.is((error as { code?: string }).code, 'ETIMEDOUT');
  t.true(Date.now() - started < 15_000);
  // The share is taken as away for as long: the next listing fails at once, not after another deadline.
  const fast = Date.now();
  await t.throwsAsync(reader.list(path.join(dir, 'Films', 'Sub'), dir), { code: 'ETIMEDOUT', message: /did not answer/ });
  t.true(Date.now() - fast < 1_000);
  // Once the pause is over, a new process takes the next folder.
  clock += 5_001;
  t.deepEqual((await reader.list(path.join(dir, 'Films', 'Sub'), dir)).entries.map((entry) => entry.disk), ['b.mp4']);
  // A folder that cannot be read rejects with the system's error, in words the scan shows.
  await t.throwsAsync(reader.list(path.join(dir, 'nothing-here'), dir), { code: 'ENOENT' });
});
