import { execFile } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { FfmpegMissingError, MediaProbeError } from '../src/errors.ts';
import { fromDiskBytes } from '../src/library/disk-names.ts';
import { ffprobeVersion, probeFile } from '../src/library/ffprobe-run.ts';
import { isMediaInfo } from '../src/library/media-info.ts';
import { makeMp4, topLevelBoxes } from './helpers/ffmpeg.ts';
import { writeScript } from './helpers/scripts.ts';
import { makeCorrupt, makeEmpty, makeHevc10, makeJpegWithExif, makeMkvWithTracks, makeTaggedFlac, makeTaggedMp3 } from './helpers/media-fixtures.ts';

/** A temporary folder for one test, removed after it. */
async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-media-info-'));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An "ffprobe" that writes its pid to `pidFile` and then sleeps for a minute. */
async function hangingProber(dir: string): Promise<{ program: string; pid: () => Promise<number> }> {
  const program = path.join(dir, 'ffprobe-hangs.sh');
  const pidFile = path.join(dir, 'pid');
  // exec: the sleeping process is the one spawned, so killing it leaves nothing behind.
  await writeScript(program, `echo $$ > '${pidFile}'\nexec sleep 60`);
  return { program, pid: async () => Number(await fs.readFile(pidFile, 'utf8')) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const openDescriptors = (): number => fsSync.readdirSync('/proc/self/fd').length;

test('an MKV: its video, both audio tracks and both subtitle tracks, exactly', async (t) => {
  const info = await probeFile(await makeMkvWithTracks(await tempDir(t)), 'video');
  t.is(info.container, 'matroska,webm');
  t.true(Math.abs(info.duration! - 1) < 0.1, `duration ${info.duration}`);
  t.deepEqual(info.video, [{ index: 0, codec: 'h264', profile: 'Constrained Baseline', level: 4.1, width: 160, height: 90, bitDepth: 8, frameRate: 25 }]);
  t.deepEqual(info.audio, [
    { index: 1, codec: 'aac', profile: 'LC', channels: 2, layout: 'stereo', sampleRate: 44100, language: 'eng', title: 'English', default: true },
    { index: 2, codec: 'ac3', channels: 6, layout: '5.1(side)', sampleRate: 44100, language: 'fre', title: 'Français', default: false },
  ]);
  t.deepEqual(info.subtitles, [
    { index: 3, codec: 'subrip', language: 'eng', forced: false, default: false, text: true },
    { index: 4, codec: 'ass', language: 'fre', forced: true, default: false, text: true },
  ]);
  // A track's title ("English") is not the film's.
  t.deepEqual(info.tags, {});
  t.is(info.cover, undefined);
  t.is(info.photo, undefined);
  t.true(isMediaInfo(JSON.parse(JSON.stringify(info))));
});

test('an MP3: its ID3 tags, and its cover picture kept apart from the video streams', async (t) => {
  const info = await probeFile(await makeTaggedMp3(await tempDir(t)), 'audio');
  t.deepEqual(info.tags, { title: 'Song Title', artist: 'The Artist', album: 'The Album', albumArtist: 'Various Artists', track: 3, trackCount: 12, disc: 1, discCount: 2, year: 2019, genre: 'Rock' });
  t.deepEqual(info.cover, { stream: 1, codec: 'mjpeg' });
  t.deepEqual(info.video, []);
  t.like(info.audio, [{ index: 0, codec: 'mp3', channels: 1, sampleRate: 44100 }]);
  t.is(info.container, 'mp3');
  t.true(Math.abs(info.duration! - 1) < 0.1, `duration ${info.duration}`);
});

test('a FLAC: Vorbis comments written in upper case', async (t) => {
  const info = await probeFile(await makeTaggedFlac(await tempDir(t)), 'audio');
  t.deepEqual(info.tags, { title: 'Flac Song', artist: 'Flac Artist', album: 'Flac Album', albumArtist: 'Flac Album Artist', track: 5, trackCount: 9, disc: 2, year: 2003, genre: 'Jazz' });
  t.like(info.audio, [{ codec: 'flac', channels: 1 }]);
  t.is(info.cover, undefined);
});

test('a JPEG: EXIF orientation and the date it was taken, with no time zone', async (t) => {
  const dir = await tempDir(t);
  for (const orientation of [6, 3]) {
    const info = await probeFile(await makeJpegWithExif(dir, orientation), 'image');
    t.deepEqual(info.photo, { width: 160, height: 120, orientation, taken: '2021-07-14T18:30:05' });
    t.like(info.video, [{ codec: 'mjpeg', width: 160, height: 120 }]);
  }
});

test('HEVC Main 10: its bit depth comes from the pixel format', async (t) => {
  const file = await makeHevc10(await tempDir(t));
  if (!file) return t.pass('this ffmpeg has no libx265');
  const info = await probeFile(file, 'video');
  t.like(info.video, [{ codec: 'hevc', profile: 'Main 10', bitDepth: 10, width: 160, height: 90 }]);
});

test('an MP4 with its moov atom at the end is read through the descriptor (which seeks)', async (t) => {
  const file = path.join(await tempDir(t), 'moov-last.mp4');
  await makeMp4(file, { seconds: 1 });
  t.is((await topLevelBoxes(file)).at(-1), 'moov');
  const info = await probeFile(file, 'video');
  t.like(info, { container: 'mov,mp4,m4a,3gp,3g2,mj2', video: [{ codec: 'h264', width: 320, height: 180 }], audio: [{ codec: 'aac' }] });
  t.true(Math.abs(info.duration! - 1) < 0.1);
});

test('a file of random bytes is refused with ffprobe\'s reason', async (t) => {
  const file = await makeCorrupt(await tempDir(t));
  const error = await t.throwsAsync(probeFile(file, 'video'), { instanceOf: MediaProbeError });
  t.is(error.code, 'ERR_PROBE');
  t.regex(error.reason, /invalid data/i);
  t.is(error.reason, 'ffprobe found no media in it: Invalid data found when processing input');
  t.is(error.message, `Cannot probe '${file}': ${error.reason}`);
});

test('an empty file is refused without running ffprobe', async (t) => {
  const file = await makeEmpty(await tempDir(t));
  // A missing ffprobe would be a different error: this one is never started.
  const error = await t.throwsAsync(probeFile(file, 'video', { ffprobePath: '/nonexistent/ffprobe' }), { instanceOf: MediaProbeError });
  t.is(error.reason, 'empty file');
});

test('a missing or unrunnable ffprobe is FfmpegMissingError, and ffprobeVersion says undefined', async (t) => {
  const dir = await tempDir(t);
  const file = await makeTaggedFlac(dir);
  const missing = await t.throwsAsync(probeFile(file, 'audio', { ffprobePath: '/nonexistent/ffprobe' }), { instanceOf: FfmpegMissingError });
  t.is(missing.code, 'ERR_FFMPEG_MISSING');
  t.is(missing.path, '/nonexistent/ffprobe');
  t.regex(missing.message, /^ffprobe was not found at '\/nonexistent\/ffprobe'; install ffmpeg \(Debian\/Ubuntu: sudo apt install ffmpeg; Synology: .*\) or set ffprobePath$/);
  const notExecutable = path.join(dir, 'ffprobe');
  await fs.writeFile(notExecutable, '', { mode: 0o644 });
  await t.throwsAsync(probeFile(file, 'audio', { ffprobePath: notExecutable }), { instanceOf: FfmpegMissingError });
  t.is(await ffprobeVersion('/nonexistent/ffprobe'), undefined);
  t.regex((await ffprobeVersion())!, /^ffprobe version \S+/);
});

test('a prober that hangs is killed at the deadline', async (t) => {
  const dir = await tempDir(t);
  const file = await makeTaggedFlac(dir);
  const prober = await hangingProber(dir);
  const started = Date.now();
  const error = await t.throwsAsync(probeFile(file, 'audio', { ffprobePath: prober.program, timeoutMs: 500 }), { instanceOf: MediaProbeError });
  t.is(error.reason, 'ffprobe did not finish within 0.5 s');
  t.true(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  t.false(isRunning(await prober.pid()), 'the process is gone');
});

test('an aborted probe is killed, and rejects with the signal\'s reason', async (t) => {
  const dir = await tempDir(t);
  const file = await makeTaggedFlac(dir);
  const prober = await hangingProber(dir);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const error = await t.throwsAsync(probeFile(file, 'audio', { ffprobePath: prober.program, signal: controller.signal }));
  t.is(error.name, 'AbortError');
  t.false(isRunning(await prober.pid()), 'the process is gone');
  await t.throwsAsync(probeFile(file, 'audio', { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('names that are not UTF-8 are probed from their bytes', async (t) => {
  const dir = await tempDir(t);
  const bytes = Buffer.concat([Buffer.from(dir + '/'), Buffer.from('Film \xe9t\xe9.mkv', 'latin1')]);
  await fs.copyFile(await makeMkvWithTracks(dir), bytes);
  for (const name of [fromDiskBytes(bytes), bytes]) {
    const info = await probeFile(name, 'video');
    t.deepEqual(info.audio.map((track) => track.title), ['English', 'Français']);
  }
  const empty = Buffer.concat([Buffer.from(dir + '/'), Buffer.from('Vide \xe9.mp4', 'latin1')]);
  await fs.writeFile(empty, '');
  const error = await t.throwsAsync(probeFile(fromDiskBytes(empty), 'video'), { instanceOf: MediaProbeError });
  t.is(error.file, `${dir}/Vide \uFFFD.mp4`);
});

test('a file that cannot be opened is the file system\'s error, not a probe failure', async (t) => {
  const error = await t.throwsAsync(probeFile(path.join(await tempDir(t), 'gone.mkv'), 'video'));
  t.is((error as NodeJS.ErrnoException).code, 'ENOENT');
  t.false(error instanceof MediaProbeError);
});

test('a folder or a FIFO is refused at once, without waiting for a writer', async (t) => {
  const dir = await tempDir(t);
  await t.throwsAsync(probeFile(dir, 'video'), { instanceOf: MediaProbeError, message: /not a regular file/ });
  const fifo = path.join(dir, 'pipe.mkv');
  await promisify(execFile)('mkfifo', [fifo]);
  await t.throwsAsync(probeFile(fifo, 'video'), { instanceOf: MediaProbeError, message: /not a regular file/ });
});

// Serial (ava runs these before the others): the fd count is the whole process's.
test.serial('no descriptor is left open, whichever way a probe ends', async (t) => {
  const dir = await tempDir(t);
  const [good, corrupt, empty] = [await makeTaggedFlac(dir), await makeCorrupt(dir), await makeEmpty(dir)];
  const prober = await hangingProber(dir);
  const before = openDescriptors();
  for (let round = 0; round < 3; round++) {
    await probeFile(good, 'audio');
    await t.throwsAsync(probeFile(corrupt, 'video'));
    await t.throwsAsync(probeFile(empty, 'video'));
    await t.throwsAsync(probeFile(good, 'audio', { ffprobePath: '/nonexistent/ffprobe' }));
    await t.throwsAsync(probeFile(good, 'audio', { ffprobePath: prober.program, timeoutMs: 200 }));
  }
  t.is(openDescriptors(), before);
});
