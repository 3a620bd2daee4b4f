// Probing end to end: real media made by ffmpeg, probed by the library's background
// pool, and the exact fields back through the HTTP API.
import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { ItemEntry, LibraryListing } from '../src/http/api-route.ts';
import type { ItemDetailsEntry } from '../src/http/item-route.ts';
import type { LibraryStatus } from '../src/http/status-route.ts';
import type { Logger } from '../src/logger.ts';
import { makeCorrupt, makeEmpty, makeJpegWithExif, makeMkvWithTracks, makeTaggedFlac, makeTaggedMp3 } from './helpers/media-fixtures.ts';
import { eventually, startMediaServer, tempDir, type FileTree, type TestServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

/** The fixtures, made once per test in a scratch folder and laid out as a NAS library. */
async function fixtureTree(t: ExecutionContext): Promise<FileTree> {
  const scratch = await tempDir(t, 'nascast-fixtures-');
  const read = (file: Promise<string>): Promise<Buffer> => file.then((made) => fs.readFile(made));
  return {
    'Films/Tracks (2020).mkv': await read(makeMkvWithTracks(scratch)),
    'Music/The Album/01 - tagged.mp3': await read(makeTaggedMp3(scratch)),
    'Music/flac.flac': await read(makeTaggedFlac(scratch)),
    'Photos/photo.jpg': await read(makeJpegWithExif(scratch, 6)),
    'Broken/corrupt.mkv': await read(makeCorrupt(scratch)),
    'Broken/empty.mp4': await read(makeEmpty(scratch)),
  };
}

async function api<T>(media: TestServer, pathAndQuery: string): Promise<T> {
  const response = await request(media.origin, pathAndQuery, { headers: { authorization: `Bearer ${media.secrets.token}` } });
  if (response.status !== 200) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${response.body.toString()}`);
  return JSON.parse(response.body.toString()) as T;
}

const listed = async (media: TestServer, folder: string): Promise<readonly ItemEntry[]> => (await api<LibraryListing>(media, `/api/library?path=${encodeURIComponent(folder)}`)).items;

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => {}, info: () => {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(`error: ${message}`) };
}

test('every file is probed once: durations, tracks, tags, EXIF and the reason a file is broken come back through the API', async (t) => {
  const storage = await tempDir(t, 'nascast-storage-');
  const media = await startMediaServer(t, await fixtureTree(t), { library: { probe: true, storage } });
  await eventually(() => media.library.probing()?.probed === 6, 30_000, 'six files probed');
  const status = await api<LibraryStatus>(media, '/api/status');
  t.deepEqual(status, { media: 6, scanning: false, probing: { files: 6, probed: 6, failed: 2, running: false, available: true } });

  const [film] = await listed(media, 'Media/Films');
  t.like(film, { title: 'Tracks', year: 2020, kind: 'video' });
  t.true(Math.abs(film!.duration! - 1) < 0.1, `duration ${film!.duration}`);
  t.regex(film!.artwork, /\/artwork\/[\w-]{22}\?size=small&g=/);
  const details = await api<ItemDetailsEntry>(media, `/api/item?id=${film!.id}`);
  t.deepEqual(details.media?.audio, [
    { index: 1, codec: 'aac', profile: 'LC', channels: 2, layout: 'stereo', sampleRate: 44100, language: 'eng', title: 'English', default: true },
    { index: 2, codec: 'ac3', channels: 6, layout: '5.1(side)', sampleRate: 44100, language: 'fre', title: 'Français', default: false },
  ]);
  t.deepEqual(details.media?.subtitles, [
    { index: 3, codec: 'subrip', language: 'eng', forced: false, default: false, text: true },
    { index: 4, codec: 'ass', language: 'fre', forced: true, default: false, text: true },
  ]);
  t.like(details.media?.video[0], { codec: 'h264', level: 4.1, width: 160, height: 90, bitDepth: 8 });

  // Tags win over the names: the MP3's name says "tagged", its tags say more.
  const [song] = await listed(media, 'Media/Music/The Album');
  t.like(song, { title: 'Song Title', artist: 'The Artist', album: 'The Album', track: 3, disc: 1, year: 2019 });
  const [flac] = await listed(media, 'Media/Music');
  t.like(flac, { title: 'Flac Song', artist: 'Flac Artist', album: 'Flac Album', track: 5, disc: 2, year: 2003 });
  const songDetails = await api<ItemDetailsEntry>(media, `/api/item?id=${song!.id}`);
  t.like(songDetails.media?.cover, { codec: 'mjpeg' });
  t.like(songDetails.media?.tags, { albumArtist: 'Various Artists', trackCount: 12, genre: 'Rock' });

  const [photo] = await listed(media, 'Media/Photos');
  const photoDetails = await api<ItemDetailsEntry>(media, `/api/item?id=${photo!.id}`);
  t.like(photoDetails.media?.photo, { orientation: 6, taken: '2021-07-14T18:30:05' });

  // Broken files: the reason in the listing, and a cast of one is refused with it.
  const broken = await listed(media, 'Media/Broken');
  t.deepEqual(
    broken.map((item) => [item.name, item.problem]),
    [
      ['corrupt.mkv', 'ffprobe found no media in it: Invalid data found when processing input'],
      ['empty.mp4', 'empty file'],
    ],
  );
  t.throws(() => media.server.castMedia(media.item('Broken/empty.mp4')), { code: 'ERR_UNPLAYABLE', message: 'Cannot cast empty.mp4: empty file' });
  const cast = media.server.castMedia(media.item('Music/The Album/01 - tagged.mp3'));
  t.like(cast, { title: 'Song Title', metadata: { type: 'track', artist: 'The Artist', album: 'The Album', albumArtist: 'Various Artists', track: 3 } });
  t.true(Math.abs(cast.duration! - 1) < 0.1);
  t.regex(cast.images![0]!, /\/artwork\/[\w-]{22}\?size=large&g=/);
  t.like(media.server.castMedia(media.item('Photos/photo.jpg')).metadata, { type: 'photo', taken: '2021-07-14T18:30:05' });

  // The artwork URL the listing gave serves a JPEG (the MP3's embedded cover).
  const art = await request(media.origin, new URL(song!.artwork).pathname + new URL(song!.artwork).search);
  t.is(art.status, 200);
  t.is(art.headers['content-type'], 'image/jpeg');
});

test('a restart probes nothing again: results are kept against size and mtime; a changed file is probed anew', async (t) => {
  const storage = await tempDir(t, 'nascast-storage-');
  const files = await fixtureTree(t);
  const first = await startMediaServer(t, files, { library: { probe: true, storage } });
  await eventually(() => first.library.probing()?.probed === 6, 30_000, 'six files probed');
  await first.library.close();

  // The same folder, restarted with an ffprobe that cannot run: nothing needs it.
  const logger = recordingLogger();
  const { MediaLibrary } = await import('../src/library/library.ts');
  const again = new MediaLibrary({ roots: [{ name: 'Media', path: first.dir }], key: first.secrets.signingKey, storage, rescanInterval: 0, watch: false, ffprobePath: '/nonexistent/ffprobe', logger });
  t.teardown(() => again.close());
  await again.start();
  t.like(again.probing(), { files: 6, probed: 6, failed: 2, available: true });
  const film = again.folder('Media/Films')!.items[0]!;
  t.true(Math.abs(again.details(film).info!.duration! - 1) < 0.1, 'the duration from the index');

  // A changed file goes back to the prober, which now finds ffprobe missing: one warning, names stay.
  await fs.appendFile(path.join(first.dir, 'Films', 'Tracks (2020).mkv'), Buffer.alloc(10));
  await fs.utimes(path.join(first.dir, 'Films', 'Tracks (2020).mkv'), new Date(), new Date(Date.now() + 5000));
  await again.rescan();
  await eventually(() => again.probing()?.available === false, 10_000, 'ffprobe found missing');
  t.is(logger.warnings.length, 1);
  t.regex(logger.warnings[0]!, /ffprobe was not found at '\/nonexistent\/ffprobe'; install ffmpeg .* Until then the library shows names and sizes only/);
  t.is(again.details(again.folder('Media/Films')!.items[0]!).names.title, 'Tracks');
  t.is(again.details(again.folder('Media/Films')!.items[0]!).info, undefined, 'the old result is not shown for the changed file');
});

test('search through the API: accents folded, prefixes, ranked; bad requests get a reason', async (t) => {
  const media = await startMediaServer(t, {
    'Films/Le Fabuleux Destin d’Amélie Poulain (2001).mkv': 'x',
    'Films/Amelia (2009).mkv': 'x',
    'Series/Amélie Show/Season 1/Amélie Show S01E01.mkv': 'x',
    'Music/Other.mp3': 'x',
  });
  await eventually(async () => (await api<{ items: ItemEntry[] }>(media, '/api/search?q=amelie')).items.length === 2, 10_000, 'search rows written');
  const { items } = await api<{ query: string; items: ItemEntry[] }>(media, '/api/search?q=amelie');
  // The film and the episode of "Amélie Show"; "Amelia" is another word.
  t.deepEqual(items.map((item) => item.name).sort(), ['Amélie Show S01E01.mkv', 'Le Fabuleux Destin d’Amélie Poulain (2001).mkv']);
  t.like(items.find((item) => item.series), { series: 'Amélie Show', season: 1, episode: 1 });
  t.deepEqual((await api<{ items: ItemEntry[] }>(media, '/api/search?q=amelia')).items.map((item) => item.title), ['Amelia'], 'exact word first');
  t.deepEqual((await api<{ items: ItemEntry[] }>(media, '/api/search?q=AMEL%20poul')).items.map((item) => item.name), ['Le Fabuleux Destin d’Amélie Poulain (2001).mkv']);
  t.deepEqual((await api<{ items: ItemEntry[] }>(media, '/api/search?q=%22*%29(NEAR')).items, [], 'FTS syntax is only words');
  const auth = { headers: { authorization: `Bearer ${media.secrets.token}` } };
  t.is((await request(media.origin, '/api/search', auth)).status, 400);
  t.is((await request(media.origin, '/api/search?q=a&limit=0', auth)).status, 400);
  t.is((await request(media.origin, `/api/search?q=${'a'.repeat(201)}`, auth)).status, 400);
  t.is((await request(media.origin, '/api/search?q=amelie')).status, 401);
  t.is((await request(media.origin, '/api/item?id=nope', auth)).status, 400);
  // A caller's odd limit is its own business: the index stays (SQLite refuses LIMIT 2.5).
  t.deepEqual(media.library.continueWatching(2.5), []);
  t.is(media.library.search('amelie', 0.5).length, 1);
  t.is(media.library.search('amelie').length, 2, 'search still works afterwards');
});
