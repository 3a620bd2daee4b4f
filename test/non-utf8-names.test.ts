import fs from 'node:fs/promises';
import test from 'ava';
import fc from 'fast-check';
import { displayName, fromDiskBytes, toDiskBytes } from '../src/library/disk-names.ts';
import { mediaId } from '../src/library/ids.ts';
import type { MediaItem } from '../src/library/model.ts';
import { eventually, startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

/** The path and query of an absolute URL the server handed out. */
const local = (url: string): string => new URL(url).pathname + new URL(url).search;

/** A path under `dir` whose names are given in Latin-1, as a Samba share may hold them. */
const latin1 = (dir: string, relative: string): Buffer => Buffer.concat([Buffer.from(dir + '/'), Buffer.from(relative, 'latin1')]);

test('names that are not UTF-8 are listed with U+FFFD and served as they are on disk, with stable ids', async (t) => {
  const server = await startMediaServer(t, { 'Film été.mp4': 'the UTF-8 one' }, { library: { debounce: 50 } });
  const { dir, library, secrets } = server;
  await fs.writeFile(latin1(dir, 'Film \xe9t\xe9.mp4'), 'the Latin-1 one');
  await fs.writeFile(latin1(dir, 'Film \xe9t\xe9.fr.srt'), '1\n00:00:01,000 --> 00:00:02,000\nBonjour\n');
  await fs.writeFile(latin1(dir, 'Caf\xe9.mp4'), 'another Latin-1 one');
  await fs.mkdir(latin1(dir, 'S\xe9rie'));
  await fs.writeFile(latin1(dir, 'S\xe9rie/\xc9pisode 1.mp4'), 'an episode');
  await library.rescan();

  const root = library.roots[0]!;
  t.deepEqual(root.items.map((item) => item.name).sort(), ['Caf\uFFFD.mp4', 'Film \uFFFDt\uFFFD.mp4', 'Film été.mp4'].sort());
  t.deepEqual(root.folders.map((folder) => folder.name), ['S\uFFFDrie']);
  const byBody = new Map<string, MediaItem>();
  for (const item of library.items()) {
    const response = await request(server.origin, local(server.server.mediaUrl(item)));
    t.is(response.status, 200, item.path);
    byBody.set(response.body.toString(), item);
  }
  t.deepEqual([...byBody.keys()].sort(), ['an episode', 'another Latin-1 one', 'the Latin-1 one', 'the UTF-8 one']);
  t.is(new Set([...library.items()].map((item) => item.id)).size, 4, 'every file has its own id');
  t.is(byBody.get('the UTF-8 one')!.id, mediaId('Media', 'Film été.mp4', secrets.signingKey), 'ids of UTF-8 names are unchanged');

  // The Latin-1 film keeps its subtitles, served from the name on disk.
  const film = byBody.get('the Latin-1 one')!;
  t.is(film.subtitles.length, 1);
  const vtt = await request(server.origin, local(server.server.subtitleUrl(film.subtitles[0]!)));
  t.is(vtt.status, 200);
  t.true(vtt.body.toString().includes('Bonjour'));

  // The listing shows the U+FFFD names (valid JSON text), and the folder can be opened by its listed path.
  const listing = await request(server.origin, `/api/library?path=${encodeURIComponent('Media/S\uFFFDrie')}`, {
    headers: { authorization: `Bearer ${secrets.token}` },
  });
  t.is(listing.status, 200);
  t.deepEqual((JSON.parse(listing.body.toString()) as { items: Array<{ name: string }> }).items.map((item) => item.name), ['\uFFFDpisode 1.mp4']);

  // Ids survive a rescan, and the folder with a Latin-1 name is watched like any other.
  const ids = [...library.items()].map((item) => item.id).sort();
  await library.rescan();
  t.deepEqual([...library.items()].map((item) => item.id).sort(), ids);
  await fs.writeFile(latin1(dir, 'S\xe9rie/\xc9pisode 2.mp4'), 'another episode');
  await eventually(() => library.folder('Media/S\uFFFDrie')?.items.length === 2, 5000, 'the new episode to be listed');
});

test('the lossless form of a name gives back its bytes, and is the plain string for UTF-8', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => toDiskBytes(fromDiskBytes(Buffer.from(raw))).equals(Buffer.from(raw))));
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 32 }), (name) => fromDiskBytes(Buffer.from(name)) === name));
  t.is(displayName(fromDiskBytes(Buffer.from('Film \xe9t\xe9.mp4', 'latin1'))), 'Film \uFFFDt\uFFFD.mp4');
});
