import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { serveArtwork, type ArtworkDetails } from '../src/http/artwork-route.ts';
import type { RouteContext } from '../src/http/context.ts';
import { ArtworkCache, type ArtworkCacheOptions, type ArtworkSize, type ArtworkSubject } from '../src/library/artwork.ts';
import { fromDiskBytes } from '../src/library/disk-names.ts';
import { mediaId } from '../src/library/ids.ts';
import type { MediaKind } from '../src/library/media-types.ts';
import { MediaFolder, MediaItem } from '../src/library/model.ts';
import { silentLogger, type Logger } from '../src/logger.ts';
import { artworkGrantSubject } from '../src/media/signed-media.ts';
import { Grants } from '../src/signing.ts';
import { makePng } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';
import { writeScript } from './helpers/scripts.ts';

const run = promisify(execFile);
const ffmpeg = (...args: string[]): Promise<unknown> => run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

async function makeJpeg(file: string, width: number, height: number, source = 'testsrc'): Promise<void> {
  await ffmpeg('-f', 'lavfi', '-i', `${source}=size=${width}x${height}`, '-frames:v', '1', file);
}

/** An MP3 with `cover` as its ID3 picture (an attached_pic video stream). */
async function makeMp3(file: string, cover?: string): Promise<void> {
  const picture = cover ? ['-i', cover, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-disposition:v', 'attached_pic', '-id3v2_version', '3'] : [];
  await ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1', ...picture, '-c:a', 'libmp3lame', file);
}

/** A video of `seconds` that is red for its first half second and blue after: which frame was taken shows. */
async function makeRedBlue(file: string, seconds: number, size = '320x180'): Promise<void> {
  await ffmpeg('-f', 'lavfi', '-i', `color=c=red:s=${size}:r=25:d=0.5`, '-f', 'lavfi', '-i', `color=c=blue:s=${size}:r=25:d=${seconds - 0.5}`,
    '-filter_complex', '[0][1]concat=n=2:v=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-pix_fmt', 'yuv420p', file);
}

/** A JPEG's bytes with an EXIF APP1 segment saying `orientation`, written by hand after SOI. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II', 0, 'latin1'); // little-endian
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 right after the header
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]); // next-IFD offset stays 0
  const marker = Buffer.from([0xff, 0xe1, 0, 0]);
  marker.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), marker, payload, jpeg.subarray(2)]);
}

async function dimensions(file: string): Promise<{ width: number; height: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height,codec_name', '-of', 'json', `file:${file}`]);
  const stream = (JSON.parse(stdout) as { streams: Array<{ width: number; height: number; codec_name: string }> }).streams[0]!;
  if (stream.codec_name !== 'mjpeg') throw new Error(`${file} is ${stream.codec_name}, not JPEG`);
  return { width: stream.width, height: stream.height };
}

/** The colour at the picture's centre: `red`, `blue` or `other`. */
async function centreColour(file: string): Promise<string> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', `file:${file}`, '-vf', 'crop=2:2,scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
  const [r = 0, g = 0, b = 0] = stdout;
  return r > 180 && g < 80 && b < 80 ? 'red' : b > 180 && r < 80 && g < 80 ? 'blue' : `other(${r},${g},${b})`;
}

/** The path of an item's artwork with a grant valid until `expiresAt` (s), signed as SignedMedia signs it. */
function artworkUrl(grants: Grants, id: string, size: ArtworkSize, expiresAt: number): string {
  return `/artwork/${id}?size=${size}&g=${grants.sign(artworkGrantSubject(id), expiresAt)}`;
}

/** An ffmpeg that counts its runs in a file, and the count. */
async function countingFfmpeg(dir: string, body = 'exec ffmpeg "$@"'): Promise<{ path: string; runs: () => Promise<number> }> {
  const script = path.join(dir, 'ffmpeg.sh');
  const counter = path.join(dir, 'runs');
  await writeScript(script, `echo run >> '${counter}'\n${body}`);
  return { path: script, runs: async () => (await fs.readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length };
}

async function subjectOf(file: string, kind: MediaKind, extra: Partial<ArtworkSubject> = {}): Promise<ArtworkSubject> {
  const stat = await fs.stat(file);
  return { id: mediaId('Media', file), kind, absolutePath: file, size: stat.size, modified: stat.mtimeMs, ...extra };
}

interface Setup {
  readonly media: string;
  readonly cache: ArtworkCache;
  readonly dir: string;
  readonly runs: () => Promise<number>;
}

async function setup(t: ExecutionContext, options: Partial<ArtworkCacheOptions> = {}): Promise<Setup> {
  const media = await tempDir(t, 'nascast-artwork-');
  const dir = path.join(media, '.cache');
  const counting = await countingFfmpeg(media);
  const cache = new ArtworkCache({ dir, ffmpegPath: counting.path, ...options });
  t.teardown(() => cache.close());
  return { media, cache, dir, runs: counting.runs };
}

async function timed<T>(t: ExecutionContext, what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  t.log(`${what}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

test('an MP3\'s embedded cover, fitted to the box and never enlarged; a second get() is a hit', async (t) => {
  const { media, cache, runs } = await setup(t);
  await makeJpeg(path.join(media, 'art.jpg'), 600, 400);
  await makeMp3(path.join(media, 'song.mp3'), path.join(media, 'art.jpg'));
  const song = await subjectOf(path.join(media, 'song.mp3'), 'audio');
  const small = await timed(t, 'embedded cover (small)', () => cache.get(song, 'small'));
  t.deepEqual(await dimensions(small!.path), { width: 320, height: 213 });
  t.is(small!.type, 'image/jpeg');
  const large = await cache.get({ ...song, cover: { stream: 1, codec: 'mjpeg' } }, 'large');
  t.deepEqual(await dimensions(large!.path), { width: 600, height: 400 });
  t.is(await runs(), 2);
  const mtime = (await fs.stat(small!.path)).mtimeMs;
  const again = await timed(t, 'cache hit', () => cache.get(song, 'small'));
  t.deepEqual(again, small);
  t.is(await runs(), 2, 'no ffmpeg for a hit');
  t.is((await fs.stat(small!.path)).mtimeMs, mtime);
});

test('a folder.jpg beside a song without a cover (any case), and an MP3 with neither has none', async (t) => {
  const { media, cache } = await setup(t);
  await fs.mkdir(path.join(media, 'Album'));
  await makeMp3(path.join(media, 'Album/01.mp3'));
  await makeJpeg(path.join(media, 'Album/Folder.JPG'), 500, 500);
  await makeJpeg(path.join(media, 'Album/front.jpg'), 300, 100);
  const file = await cache.get(await subjectOf(path.join(media, 'Album/01.mp3'), 'audio'), 'small');
  t.deepEqual(await dimensions(file!.path), { width: 320, height: 320 }, 'folder beats front');
  await makeMp3(path.join(media, 'bare.mp3'));
  t.is(await cache.get(await subjectOf(path.join(media, 'bare.mp3'), 'audio'), 'small'), undefined);
});

test('a video without a poster gives a frame: at 10 % of its duration, at the start if unknown and short', async (t) => {
  const { media, cache } = await setup(t);
  await makeRedBlue(path.join(media, 'clip.mp4'), 4, '1920x1080');
  const clip = await subjectOf(path.join(media, 'clip.mp4'), 'video');
  const small = await timed(t, 'frame (small)', () => cache.get({ ...clip, duration: 8 }, 'small'));
  t.deepEqual(await dimensions(small!.path), { width: 320, height: 180 });
  t.is(await centreColour(small!.path), 'blue', '0.8 s in');
  const large = await cache.get(clip, 'large');
  t.deepEqual(await dimensions(large!.path), { width: 1280, height: 720 });
  t.is(await centreColour(large!.path), 'red', '10 s is past the end: the first frame');
});

test('a poster beside a video wins over a frame; a season folder takes the series poster, never above the root', async (t) => {
  const { media, cache } = await setup(t);
  await makeRedBlue(path.join(media, 'Film.mkv'), 1);
  await makeJpeg(path.join(media, 'Film-poster.jpg'), 200, 300);
  await makeJpeg(path.join(media, 'poster.jpg'), 100, 100);
  const film = await cache.get(await subjectOf(path.join(media, 'Film.mkv'), 'video'), 'small');
  t.deepEqual(await dimensions(film!.path), { width: 200, height: 300 });

  const season = path.join(media, 'Show/Season 01');
  await fs.mkdir(season, { recursive: true });
  await makeRedBlue(path.join(season, 'S01E01.mp4'), 1);
  await makeJpeg(path.join(media, 'Show/folder.png'), 150, 225);
  const episode = await subjectOf(path.join(season, 'S01E01.mp4'), 'video');
  t.deepEqual(await dimensions((await cache.get({ ...episode, root: media }, 'small'))!.path), { width: 150, height: 225 });
  const rootedAtSeason = await cache.get({ ...episode, id: mediaId('Other', 'x'), root: season }, 'small');
  t.deepEqual(await dimensions(rootedAtSeason!.path), { width: 320, height: 180 }, 'a frame');
});

test('a photo tagged orientation 6 gives a portrait thumbnail; a name that is not UTF-8 works', async (t) => {
  const { media, cache } = await setup(t);
  await makeJpeg(path.join(media, 'plain.jpg'), 320, 240);
  const rotated = withOrientation(await fs.readFile(path.join(media, 'plain.jpg')), 6);
  await fs.writeFile(path.join(media, 'rotated.jpg'), rotated);
  const photo = await timed(t, 'photo (small)', async () => cache.get(await subjectOf(path.join(media, 'rotated.jpg'), 'image'), 'small'));
  t.deepEqual(await dimensions(photo!.path), { width: 240, height: 320 });

  const latin1 = Buffer.concat([Buffer.from(`${media}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]);
  await fs.writeFile(latin1, rotated);
  const name = fromDiskBytes(latin1);
  const stat = await fs.stat(latin1);
  const odd = await cache.get({ id: mediaId('Media', name), kind: 'image', absolutePath: name, size: stat.size, modified: stat.mtimeMs }, 'small');
  t.deepEqual(await dimensions(odd!.path), { width: 240, height: 320 });
});

test('a changed file gets new artwork; a restarted cache reuses what is stored', async (t) => {
  const { media, cache, dir, runs } = await setup(t);
  const file = path.join(media, 'p.png');
  await makePng(file, 64, 48);
  const first = await cache.get(await subjectOf(file, 'image'), 'small');
  await fs.utimes(file, new Date(), new Date(Date.now() + 5000));
  const second = await cache.get(await subjectOf(file, 'image'), 'small');
  t.not(second!.path, first!.path);
  t.is(await runs(), 2);
  // A crash's half-written leftover goes at the next start; another process's fresh one stays.
  const stale = path.join(dir, `${'a'.repeat(32)}.1-1.tmp`);
  const fresh = path.join(dir, `${'b'.repeat(32)}.2-1.tmp`);
  await fs.writeFile(stale, 'half a JPEG');
  await fs.utimes(stale, new Date(0), new Date(0));
  await fs.writeFile(fresh, 'being written');
  const restarted = new ArtworkCache({ dir, ffmpegPath: path.join(media, 'ffmpeg.sh') });
  t.teardown(() => restarted.close());
  t.deepEqual(await restarted.get(await subjectOf(file, 'image'), 'small'), second);
  t.is(await runs(), 2);
  t.deepEqual([await fs.access(stale).then(() => true, () => false), await fs.access(fresh).then(() => true, () => false)], [false, true]);
});

test('over the cap, the least recently used pictures go (use order seeded from mtimes after a restart)', async (t) => {
  const { media, dir } = await setup(t);
  await makeJpeg(path.join(media, 'p.jpg'), 400, 300, 'testsrc2');
  const subject = async (name: string): Promise<ArtworkSubject> => ({ ...(await subjectOf(path.join(media, 'p.jpg'), 'image')), id: mediaId('Media', name) });
  const measure = new ArtworkCache({ dir: path.join(media, 'measure') });
  const bytes = (await measure.get(await subject('x'), 'small'))!.bytes;
  await measure.close();
  const cache = new ArtworkCache({ dir, maxBytes: Math.floor(bytes * 3.5) });
  const [a, b, c] = [await cache.get(await subject('a'), 'small'), await cache.get(await subject('b'), 'small'), await cache.get(await subject('c'), 'small')];
  await cache.get(await subject('a'), 'small'); // a is now more recent than b
  const d = await cache.get(await subject('d'), 'small');
  const exists = (file: { path: string } | undefined): Promise<boolean> => fs.access(file!.path).then(() => true, () => false);
  t.deepEqual(await Promise.all([a, b, c, d].map(exists)), [true, false, true, true]);
  await cache.close();

  // After a restart, the file with the oldest mtime is the least recently used.
  await fs.utimes(c!.path, new Date(1000), new Date(1000));
  const restarted = new ArtworkCache({ dir, maxBytes: Math.floor(bytes * 3.5) });
  t.teardown(() => restarted.close());
  await restarted.get(await subject('e'), 'small');
  t.deepEqual(await Promise.all([a, c, d].map(exists)), [true, false, true]);
});

test('a corrupt file gives undefined once, with no retry storm; concurrent gets share one run', async (t) => {
  const { media, cache, runs } = await setup(t);
  await fs.writeFile(path.join(media, 'bad.jpg'), Buffer.alloc(5000, 7));
  const bad = await subjectOf(path.join(media, 'bad.jpg'), 'image');
  t.deepEqual(await Promise.all([1, 2, 3].map(() => cache.get(bad, 'small'))), [undefined, undefined, undefined]);
  for (let i = 0; i < 5; i++) t.is(await cache.get(bad, 'small'), undefined);
  t.is(await runs(), 1);

  await makePng(path.join(media, 'good.png'), 64, 64);
  const refused = await subjectOf(path.join(media, 'good.png'), 'image', { id: mediaId('Media', 'outside'), admit: () => Promise.resolve(false) });
  t.is(await cache.get(refused, 'small'), undefined, 'not admitted: not read');
  t.is(await runs(), 1);
  const good = await subjectOf(path.join(media, 'good.png'), 'image');
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => cache.get(good, 'large')));
  t.is(new Set(results.map((file) => file?.path)).size, 1);
  t.truthy(results[0]);
  t.is(await runs(), 2);
});

test('without ffmpeg: undefined and one warning; a hung ffmpeg is killed at the deadline; close() stops it all', async (t) => {
  const media = await tempDir(t, 'nascast-artwork-');
  await makePng(path.join(media, 'a.png'), 32, 32);
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
  const missing = new ArtworkCache({ dir: path.join(media, 'c1'), ffmpegPath: path.join(media, 'no-ffmpeg'), logger });
  for (const id of ['a', 'b', 'c']) t.is(await missing.get({ ...(await subjectOf(path.join(media, 'a.png'), 'image')), id: mediaId('M', id) }, 'small'), undefined);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /ffmpeg was not found/);

  const hung = await countingFfmpeg(media, 'exec sleep 30');
  const slow = new ArtworkCache({ dir: path.join(media, 'c2'), ffmpegPath: hung.path, timeoutMs: 300 });
  t.teardown(() => slow.close());
  const started = Date.now();
  t.is(await slow.get(await subjectOf(path.join(media, 'a.png'), 'image'), 'small'), undefined);
  t.true(Date.now() - started < 5000);

  const runsBefore = await hung.runs();
  const closing = new ArtworkCache({ dir: path.join(media, 'c3'), ffmpegPath: hung.path });
  const pending = closing.get(await subjectOf(path.join(media, 'a.png'), 'image'), 'small');
  await eventually(async () => (await hung.runs()) > runsBefore, 10_000, 'the hung ffmpeg started for it');
  await closing.close();
  t.is(await pending, undefined);
  t.is(await closing.get(await subjectOf(path.join(media, 'a.png'), 'image'), 'small'), undefined);
});

// ---- the route, on a plain node:http server with a small library stand-in ----

interface RouteSetup {
  readonly media: string;
  readonly origin: string;
  readonly grants: Grants;
  readonly token: string;
  readonly items: Map<string, MediaItem>;
}

/** Serves the files `build` makes in the media folder, with a library stand-in that knows them. */
async function startRoute(t: ExecutionContext, build: (media: string) => Promise<Record<string, MediaKind>>, details?: ArtworkDetails): Promise<RouteSetup> {
  const { media, cache } = await setup(t);
  const folder = new MediaFolder({ name: 'Media', path: media }, '', 'Media');
  const items = new Map<string, MediaItem>();
  for (const [name, kind] of Object.entries(await build(media))) {
    const stat = await fs.stat(path.join(media, name));
    items.set(name, new MediaItem(mediaId('Media', name), name, kind, 'application/octet-stream', stat.size, stat.mtimeMs, folder));
  }
  const byId = new Map([...items.values()].map((item) => [item.id, item]));
  const library = { get: (id: string) => byId.get(id), resolveInsideRoot: (item: MediaItem) => fs.realpath(item.absolutePath) };
  const grants = new Grants(Buffer.alloc(32, 9));
  const token = 'secret-token-for-tests';
  // What the route uses of a RouteContext; the rest belongs to the real server.
  const context = { library, grants, token, logger: silentLogger } as unknown as RouteContext;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void serveArtwork(context, cache, req, res, url.pathname.replace(/^\/artwork\//, ''), url.searchParams, details);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { media, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, grants, token, items };
}

const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

test('/artwork/<id>: 200 with headers, HEAD, 304, token, 401 without or with a media grant, 400, 404', async (t) => {
  const details: ArtworkDetails = (item) => (item.name === 'clip.mp4' ? { duration: 8 } : undefined);
  const { media, origin, grants, token, items } = await startRoute(t, async (dir) => {
    await makeJpeg(path.join(dir, 'art.jpg'), 600, 400);
    await makeMp3(path.join(dir, 'song.mp3'), path.join(dir, 'art.jpg'));
    await makeMp3(path.join(dir, 'bare.mp3'));
    await makeRedBlue(path.join(dir, 'clip.mp4'), 8);
    return { 'song.mp3': 'audio', 'bare.mp3': 'audio', 'clip.mp4': 'video' };
  }, details);
  const song = items.get('song.mp3')!;
  const url = artworkUrl(grants, song.id, 'small', inAnHour());
  t.regex(url, /^\/artwork\/[\w-]{22}\?size=small&g=/);
  const ok = await request(origin, url);
  t.is(ok.status, 200);
  t.is(ok.headers['content-type'], 'image/jpeg');
  t.is(Number(ok.headers['content-length']), ok.body.length);
  t.is(ok.headers['cache-control'], 'private, max-age=604800');
  t.is(ok.headers['access-control-allow-origin'], '*');
  t.truthy(ok.headers['last-modified']);
  t.deepEqual([...ok.body.subarray(0, 2)], [0xff, 0xd8]);
  const head = await request(origin, url, { method: 'HEAD' });
  t.is(head.status, 200);
  t.is(head.headers['content-length'], ok.headers['content-length']);
  t.is(head.body.length, 0);
  t.is((await request(origin, url, { headers: { 'if-none-match': ok.headers.etag! } })).status, 304);
  t.is((await request(origin, `/artwork/${song.id}?size=large`, { headers: { authorization: `Bearer ${token}` } })).status, 200);

  t.is((await request(origin, `/artwork/${song.id}?size=small`)).status, 401);
  t.is((await request(origin, `/artwork/${song.id}?size=small&g=${grants.sign(song.id, inAnHour())}`)).status, 401, 'a media grant');
  t.is((await request(origin, `${url}x`)).status, 401);
  const expired = await request(origin, artworkUrl(grants, song.id, 'small', 1000));
  t.is(expired.status, 401);
  t.is(errorOf(expired.body).error, 'GRANT_EXPIRED');
  const badSize = await request(origin, url.replace('size=small', 'size=huge'));
  t.is(badSize.status, 400);
  t.regex(errorOf(badSize.body).message, /size/);
  t.is((await request(origin, '/artwork/not-an-id?size=small')).status, 400);
  t.is((await request(origin, artworkUrl(grants, mediaId('Media', 'nothing'), 'small', inAnHour()))).status, 404);
  const none = await request(origin, artworkUrl(grants, items.get('bare.mp3')!.id, 'small', inAnHour()));
  t.is(none.status, 404);
  t.is(errorOf(none.body).message, 'no artwork for this item');
  const clip = await request(origin, artworkUrl(grants, items.get('clip.mp4')!.id, 'small', inAnHour()));
  await fs.writeFile(path.join(media, 'clip-artwork.jpg'), clip.body);
  t.is(await centreColour(path.join(media, 'clip-artwork.jpg')), 'blue', 'the details gave the duration: 10 % in');
});

test('/artwork/<id>: a client that leaves mid-body or while the picture is made crashes nothing', async (t) => {
  const { media, origin, grants, items } = await startRoute(t, async (dir) => {
    // Noise compresses badly: a large picture of several hundred KB, many writes.
    await ffmpeg('-f', 'lavfi', '-i', 'nullsrc=size=1280x1280,geq=lum=random(1)*255:cb=128:cr=128', '-frames:v', '1', '-q:v', '2', path.join(dir, 'noise.jpg'));
    return { 'noise.jpg': 'image' };
  });
  const url = artworkUrl(grants, items.get('noise.jpg')!.id, 'large', inAnHour());
  // Left before the picture was made.
  await new Promise<void>((resolve) => {
    const req = http.get(`${origin}${url}`, { agent: false });
    req.on('error', () => resolve());
    setTimeout(() => req.destroy(), 5);
  });
  const whole = await request(origin, url);
  t.is(whole.status, 200);
  t.true(whole.body.length > 100_000, `${whole.body.length} bytes`);
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => {
      const req = http.get(`${origin}${url}`, { agent: false }, (res) => {
        res.once('data', () => req.destroy());
        res.on('error', () => {});
        res.on('close', resolve);
      });
      req.on('error', () => resolve());
    });
  }
  const after = await request(origin, url);
  t.is(after.status, 200);
  t.deepEqual(after.body, whole.body);
  // Every descriptor of the picture was closed (this process is the server).
  const openOnCache = async (): Promise<number> => {
    const links = await Promise.all((await fs.readdir('/proc/self/fd')).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return links.filter((link) => link.startsWith(path.join(media, '.cache'))).length;
  };
  await eventually(async () => (await openOnCache()) === 0, 5000, 'the picture\'s descriptors to close');
  t.pass();
});

function errorOf(body: Buffer): { error: string; message: string } {
  return JSON.parse(body.toString('utf8')) as { error: string; message: string };
}
