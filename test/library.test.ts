import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { MediaLibrary } from '../src/library/library.ts';
import type { Logger } from '../src/logger.ts';
import { ConfigError } from '../src/errors.ts';
import { naturalCompare } from '../src/library/natural-order.ts';
import { parseSubtitleName } from '../src/library/subtitle-names.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
}

async function library(t: import('ava').ExecutionContext, files: Record<string, string>, options: Partial<ConstructorParameters<typeof MediaLibrary>[0]> = {}) {
  const dir = await tempDir(t);
  await writeTree(dir, files);
  const logger = recordingLogger();
  const lib = new MediaLibrary({ roots: [{ name: 'Films', path: dir }], logger, rescanInterval: 0, ...options });
  await lib.start();
  t.teardown(() => lib.close());
  return { lib, dir, logger };
}

/** Waits for the library's `updated` event until `predicate` holds. */
function until(lib: MediaLibrary, predicate: () => boolean, ms = 5000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      lib.off('updated', check);
      reject(new Error('timed out waiting for the library to see the change'));
    }, ms);
    function check(): void {
      if (!predicate()) return;
      clearTimeout(timer);
      lib.off('updated', check);
      resolve();
    }
    lib.on('updated', check);
  });
}

test('natural order: Episode 2 before Episode 10, case and accents ignored', (t) => {
  const names = ['Episode 10.mp4', 'episode 1.mp4', 'Episode 2.mp4', 'Épisode 3.mp4', 'Episode 21.mp4', 'Episode 3b.mp4'];
  t.deepEqual(names.sort(naturalCompare), ['episode 1.mp4', 'Episode 2.mp4', 'Épisode 3.mp4', 'Episode 3b.mp4', 'Episode 10.mp4', 'Episode 21.mp4']);
});

test('subtitle names give the video base and the language', (t) => {
  t.deepEqual(parseSubtitleName('Film.srt'), { base: 'Film', lang: undefined });
  t.deepEqual(parseSubtitleName('Film.en.vtt'), { base: 'Film', lang: 'en' });
  t.deepEqual(parseSubtitleName('Film.fr.srt'), { base: 'Film', lang: 'fr' });
  t.deepEqual(parseSubtitleName('The.Film.2019.pt-br.forced.srt'), { base: 'The.Film.2019', lang: 'pt-BR' });
  t.deepEqual(parseSubtitleName('Film.2019.srt'), { base: 'Film.2019', lang: undefined });
});

test('a scan finds media, skips hidden and non-media files, orders folders and items naturally', async (t) => {
  const { lib } = await library(t, {
    'Series/Episode 10.mkv': 'x',
    'Series/Episode 2.mkv': 'x',
    'Series/Episode 1.mkv': 'x',
    'Series/notes.txt': 'x',
    'Series/.DS_Store': 'x',
    '.hidden/film.mp4': 'x',
    '@eaDir/thumb.jpg': 'x',
    'Film 10.mp4': 'x',
    'Film 9.mp4': 'x',
    'Music/Album 2/01 Song.mp3': 'x',
    'Music/Album 10/01 Song.flac': 'x',
    'Photos/cat.JPG': 'x',
  });
  const root = lib.roots[0]!;
  t.deepEqual(root.folders.map((folder) => folder.name), ['Music', 'Photos', 'Series']);
  t.deepEqual(root.items.map((item) => item.name), ['Film 9.mp4', 'Film 10.mp4']);
  t.deepEqual(lib.folder('Films/Series')!.items.map((item) => item.title), ['Episode 1', 'Episode 2', 'Episode 10']);
  t.deepEqual(lib.folder('Films/Music')!.folders.map((folder) => folder.name), ['Album 2', 'Album 10']);
  const photo = lib.folder('Films/Photos')!.items[0]!;
  t.is(photo.kind, 'image');
  t.is(photo.mime, 'image/jpeg');
  const song = lib.folder('Films/Music/Album 10')!.items[0]!;
  t.is(song.kind, 'audio');
  t.is(song.mime, 'audio/flac');
  t.is(lib.size, 8);
  t.is(lib.folder('Films/.hidden'), undefined);
  t.is(lib.folder('Films/..'), undefined);
  t.is(lib.find('episode 2')?.name, 'Episode 2.mkv');
  t.is(lib.find('Album'), undefined);
  t.is(lib.find('Song')?.name, '01 Song.mp3');
});

test('items carry size and modification time', async (t) => {
  const { lib, dir } = await library(t, { 'a.mp4': '12345' });
  const item = lib.roots[0]!.items[0]!;
  const stats = await fs.stat(path.join(dir, 'a.mp4'));
  t.is(item.size, 5);
  t.is(item.modified, stats.mtimeMs);
});

test('ids are stable across restarts, opaque, and depend on the key', async (t) => {
  const dir = await tempDir(t);
  await writeTree(dir, { 'Secret Film Title.mp4': 'x' });
  const make = async (key?: Buffer) => {
    const lib = new MediaLibrary({ roots: [{ name: 'Films', path: dir }], watch: false, rescanInterval: 0, ...(key ? { key } : {}) });
    await lib.start();
    await lib.close();
    return lib.roots[0]!.items[0]!.id;
  };
  const key = Buffer.alloc(32, 1);
  const first = await make(key);
  t.is(await make(key), first);
  t.not(await make(Buffer.alloc(32, 2)), first);
  t.regex(first, /^[A-Za-z0-9_-]{22}$/);
  t.false(first.toLowerCase().includes('secret'));
});

test('sibling subtitles attach to their video with their language', async (t) => {
  const { lib } = await library(t, {
    'Film.mp4': 'x',
    'Film.srt': 'x',
    'Film.en.vtt': 'x',
    'Film.fr.srt': 'x',
    'Other.mkv': 'x',
    'Orphan.de.srt': 'x',
  });
  const film = lib.find('Film')!;
  t.deepEqual(film.subtitles.map((track) => [track.lang, track.format]), [[undefined, 'srt'], ['en', 'vtt'], ['fr', 'srt']]);
  t.is(lib.subtitle(film.subtitles[1]!.id)?.name, 'Film.en.vtt');
  t.deepEqual(lib.find('Other')!.subtitles, []);
});

test('a change on disk shows up without a restart: added, removed, new folder', async (t) => {
  const { lib, dir } = await library(t, { 'Series/Episode 1.mp4': 'x' }, { debounce: 50 });
  await fs.writeFile(path.join(dir, 'Series', 'Episode 2.mp4'), 'x');
  await until(lib, () => lib.folder('Films/Series')?.items.length === 2);
  t.deepEqual(lib.folder('Films/Series')!.items.map((item) => item.title), ['Episode 1', 'Episode 2']);

  await fs.mkdir(path.join(dir, 'New Folder'));
  await fs.writeFile(path.join(dir, 'New Folder', 'clip.webm'), 'x');
  await until(lib, () => lib.folder('Films/New Folder')?.items.length === 1);
  const clip = lib.folder('Films/New Folder')!.items[0]!;
  t.is(lib.get(clip.id), clip);

  await fs.rm(path.join(dir, 'Series', 'Episode 1.mp4'));
  await until(lib, () => lib.folder('Films/Series')?.items.length === 1);
  t.is(lib.find('Episode 1'), undefined);
  t.is(lib.size, 2);
});

test('without watching, the periodic rescan picks changes up (network mounts)', async (t) => {
  const { lib, dir } = await library(t, { 'a.mp4': 'x' }, { watch: false, rescanInterval: 100 });
  await fs.writeFile(path.join(dir, 'b.mp4'), 'x');
  await until(lib, () => lib.size === 2);
  t.is(lib.size, 2);
});

test('a missing root is reported and listed as unavailable, not thrown', async (t) => {
  const logger = recordingLogger();
  const dir = await tempDir(t);
  const lib = new MediaLibrary({
    roots: [{ name: 'Gone', path: path.join(dir, 'unmounted') }, { name: 'Here', path: dir }],
    logger,
    rescanInterval: 0,
  });
  await lib.start();
  t.teardown(() => lib.close());
  t.false(lib.roots[0]!.available);
  t.true(lib.roots[1]!.available);
  t.true(logger.warnings.some((warning) => warning.includes("'Gone'")));
});

test('bad root configuration is a ConfigError naming the field', (t) => {
  t.throws(() => new MediaLibrary({ roots: [] }), { instanceOf: ConfigError, message: /media/ });
  t.throws(() => new MediaLibrary({ roots: [{ name: 'A', path: 'relative/path' }] }), { instanceOf: ConfigError, message: /media\[0\]\.path/ });
  t.throws(() => new MediaLibrary({ roots: [{ name: 'A/B', path: '/tmp' }] }), { instanceOf: ConfigError, message: /media\[0\]\.name/ });
  t.throws(() => new MediaLibrary({ roots: [{ name: 'A', path: '/tmp' }, { name: 'A', path: '/srv' }] }), { instanceOf: ConfigError, message: /media\[1\]\.name.*twice/ });
  const error = t.throws<ConfigError>(() => new MediaLibrary({ roots: [] }), { instanceOf: ConfigError });
  t.is(error?.code, 'ERR_CONFIG');
});

test('unreadable folders and files are skipped with a warning, the rest is scanned', async (t) => {
  const dir = await tempDir(t);
  await writeTree(dir, { 'Open/a.mp4': 'x', 'Locked/b.mp4': 'x', 'Open/locked.mp4': 'x' });
  await fs.chmod(dir, 0o755);
  await fs.chmod(path.join(dir, 'Locked'), 0o000);
  await fs.chmod(path.join(dir, 'Open', 'locked.mp4'), 0o000);
  t.teardown(() => fs.chmod(path.join(dir, 'Locked'), 0o755));
  // Root reads everything, so the scan runs as an unprivileged user when we are root.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const output = await scanInChild(dir, [], asNobody);
  const result = JSON.parse(output) as { names: string[]; warnings: string[] };
  t.deepEqual(result.names, ['a.mp4']);
  t.true(result.warnings.some((warning) => warning.includes("'Films/Locked'") && warning.includes('permission denied')));
  t.true(result.warnings.some((warning) => warning.includes("'Films/Open/locked.mp4'") && warning.includes('permission denied')));
});

test('symlinks inside the root are followed; symlinks leading outside are skipped with a warning', async (t) => {
  const outside = await tempDir(t, 'nascast-outside-');
  await writeTree(outside, { 'secret.mp4': 'x' });
  const dir = await tempDir(t);
  await writeTree(dir, { 'Real/film.mp4': 'x' });
  await fs.symlink(path.join(dir, 'Real'), path.join(dir, 'Alias'));
  await fs.symlink(path.join(dir, 'Real', 'film.mp4'), path.join(dir, 'link.mp4'));
  await fs.symlink(outside, path.join(dir, 'Escape'));
  await fs.symlink(dir, path.join(dir, 'Real', 'Loop'));
  const logger = recordingLogger();
  const lib = new MediaLibrary({ roots: [{ name: 'Films', path: dir }], logger, watch: false, rescanInterval: 0 });
  await lib.start();
  t.deepEqual([...lib.items()].map((item) => item.path).sort(), ['Films/Alias/film.mp4', 'Films/Real/film.mp4', 'Films/link.mp4']);
  t.true(logger.warnings.some((warning) => warning.includes("'Films/Escape'") && warning.includes('outside')));
});

test('the scan process starts from a process run with flags it must not take (Homebridge and scripts pass V8 flags)', async (t) => {
  const dir = await tempDir(t);
  await writeTree(dir, { 'Films/a.mp4': 'x' });
  const output = await scanInChild(dir, ['--expose-gc', '--max-old-space-size=256']);
  t.deepEqual(JSON.parse(output), { names: ['a.mp4'], warnings: [] });
});

/** Scans `dir` as the root `Films` in a node process of its own (its flags, its user): the names found and the warnings, as JSON. */
async function scanInChild(dir: string, flags: string[], options: { uid?: number; gid?: number } = {}): Promise<string> {
  const script = `
    import { MediaLibrary } from ${JSON.stringify(new URL('../src/library/library.ts', import.meta.url).href)};
    const warnings = [];
    const logger = { debug() {}, info() {}, error: (m) => warnings.push(m), warn: (m) => warnings.push(m) };
    const lib = new MediaLibrary({ roots: [{ name: 'Films', path: ${JSON.stringify(dir)} }], logger, watch: false, rescanInterval: 0 });
    await lib.start();
    console.log(JSON.stringify({ names: [...lib.items()].map((i) => i.name), warnings }));
    await lib.close();
  `;
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', script], { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  return output;
}
