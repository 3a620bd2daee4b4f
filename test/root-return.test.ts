import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { MediaLibrary } from '../src/library/library.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

test('a root that is removed and recreated is back within seconds, with no periodic rescan', async (t) => {
  const parent = await tempDir(t);
  const root = path.join(parent, 'Films');
  await writeTree(root, { 'old.mp4': 'x' });
  const library = new MediaLibrary({ roots: [{ name: 'Films', path: root }], logger: quietLogger, rescanInterval: 0, debounce: 50 });
  await library.start();
  t.teardown(() => library.close());
  t.is(library.size, 1);

  await fs.rm(root, { recursive: true });
  await eventually(() => !library.roots[0]!.available, 5000, 'the library to mark the root unavailable');
  t.is(library.size, 0);

  await writeTree(root, { 'new.mp4': 'x' });
  await eventually(() => library.roots[0]!.available && library.size === 1, 5000, 'the recreated root to be listed again');
  t.deepEqual(library.roots[0]!.items.map((item) => item.name), ['new.mp4']);
  t.is(library.get(library.roots[0]!.items[0]!.id)?.name, 'new.mp4');

  // Watched again: a later change shows up without a rescan.
  await fs.writeFile(path.join(root, 'newer.mp4'), 'x');
  await eventually(() => library.size === 2, 5000, 'a file added to the returned root');
});

test('a root missing at start is listed once it appears, with no periodic rescan', async (t) => {
  const parent = await tempDir(t);
  const root = path.join(parent, 'Share');
  const library = new MediaLibrary({ roots: [{ name: 'Share', path: root }], logger: quietLogger, rescanInterval: 0, watch: false });
  await library.start();
  t.teardown(() => library.close());
  t.false(library.roots[0]!.available);

  await writeTree(root, { 'film.mp4': 'x' });
  await eventually(() => library.roots[0]!.available && library.size === 1, 5000, 'the root to be listed');
  t.is(library.roots[0]!.items[0]!.name, 'film.mp4');
});
