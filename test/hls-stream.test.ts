// The stream engine on its own: keyframes from the MKV index, segments cut at them by
// reading ffmpeg's fragments, a far seek that restarts ffmpeg with the timestamps lined
// up, pacing, the limit on conversions, and the temp folder left empty.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { BusyError } from '../src/errors.ts';
import { Conversions } from '../src/media/conversions.ts';
import { KeyframeLists } from '../src/media/keyframes.ts';
import { matroskaKeyframes } from '../src/media/matroska-cues.ts';
import { mp4Keyframes } from '../src/media/mp4-keyframes.ts';
import type { PlaybackPlan } from '../src/media/playback-plan.ts';
import { keyframePlan, segmentAt } from '../src/media/segment-plan.ts';
import { eventually, tempDir } from './helpers/media-server.ts';

const run = promisify(execFile);
const SECONDS = 60;
// Keyframes where a real encode puts them: uneven, at scene cuts.
const CUTS = [0, 1.4, 4.2, 5, 8.8, 13.6, 14.2, 19, 24.4, 28, 31.6, 37.2, 41, 44.4, 50, 53.6, 57.2];

async function makeMkv(file: string): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=160x90:rate=25:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=sample_rate=48000:duration=${SECONDS}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '2', '-g', '1000', '-sc_threshold', '0', '-force_key_frames', CUTS.join(','),
    '-c:a', 'ac3', '-ac', '6',
    file,
  ]);
}

/** The decode times (seconds) of the first fragment of a segment file: its video track's tfdt. */
function firstTime(segment: Buffer, timescale: number): number {
  const at = segment.indexOf('tfdt');
  return Number(segment.readBigUInt64BE(at + 8)) / timescale;
}

const REMUX: PlaybackPlan = { mode: 'audio', reasons: [], video: { stream: 0, codec: 'h264' }, audio: { stream: 1, encode: { codec: 'aac', channels: 2, bitrate: 128_000 } } };

test('the MKV index gives the keyframes ffprobe finds by reading the whole file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'film.mkv');
  await makeMkv(file);
  const handle = await fs.open(file);
  const fromIndex = await matroskaKeyframes(handle);
  await handle.close();
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file]);
  const scanned = stdout.split('\n').filter((line) => line.includes(',K')).map((line) => Number(line.split(',')[0]));
  t.deepEqual(fromIndex?.map((time) => time.toFixed(3)), scanned.map((time) => time.toFixed(3)));
  t.deepEqual(await new KeyframeLists().of(file, 'film.mkv'), fromIndex!);
  const text = await fs.open(path.join(import.meta.dirname, 'playback-plan.test.ts'));
  t.is(await matroskaKeyframes(text), undefined, 'not Matroska: no keyframes from an index');
  await text.close();
});

test('an MP4 and a MOV index (moov at the start or the end, B-frames, uneven keyframes) gives the keyframes ffprobe finds by reading the whole file', async (t) => {
  const dir = await tempDir(t);
  const mkv = path.join(dir, 'film.mkv');
  await makeMkv(mkv);
  const files = [path.join(dir, 'fast.mp4'), path.join(dir, 'end.mov')];
  await run('ffmpeg', ['-v', 'error', '-y', '-i', mkv, '-c', 'copy', '-movflags', '+faststart', files[0]!]);
  await run('ffmpeg', ['-v', 'error', '-y', '-i', mkv, '-c:v', 'copy', '-an', files[1]!]);
  for (const file of files) {
    const handle = await fs.open(file);
    const fromIndex = await mp4Keyframes(handle);
    await handle.close();
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file]);
    const scanned = stdout.split('\n').filter((line) => line.includes(',K')).map((line) => Number(line.split(',')[0]));
    t.is(fromIndex?.length, scanned.length, file);
    // ffprobe shows the edit list's few milliseconds of B-frame delay; a segment's tolerance is 100 ms.
    t.true(scanned.every((time, index) => Math.abs(time - fromIndex![index]!) < 0.01), `${file}: ${fromIndex?.join(',')} against ${scanned.join(',')}`);
  }
});

test('a remux cuts at the listed keyframes; a far request restarts ffmpeg there and its segments line up with the first run; pacing holds it; close leaves nothing', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'film.mkv');
  await makeMkv(file);
  const keyframes = await new KeyframeLists().of(file, 'film.mkv');
  const segments = keyframePlan(keyframes, SECONDS);
  t.true(segments.starts.every((start) => start === 0 || keyframes.includes(start)), 'segments start at keyframes');
  const conversions = new Conversions({ dir: path.join(dir, 'streams'), ahead: 2, behind: 1 });
  await conversions.start();
  t.teardown(() => conversions.close());
  const stream = await conversions.open('film', () => Promise.resolve({ file, name: 'film.mkv', plan: REMUX, segments, keyframes }));
  const init = await stream.init();
  const timescale = init.readUInt32BE(init.indexOf('mdhd') + 16); // version 0: after the version, creation and modification times

  const first = await fs.readFile(await stream.segment(0));
  const second = await fs.readFile(await stream.segment(1));
  t.true(Math.abs(firstTime(second, timescale) - segments.starts[1]!) < 0.1, `segment 1 starts at ${segments.starts[1]}, not ${firstTime(second, timescale)} (timescale ${timescale})`);
  t.true(first.length > 0);
  // Nothing fetched past 1: ffmpeg waits with at most `ahead` more made.
  await eventually(() => stream.state.paused, 20_000, 'ffmpeg paused ahead of the fetches');
  t.true(Math.max(...stream.state.made) <= 1 + 2 + 1, `made ${stream.state.made.join(',')}`);

  const far = segments.starts.length - 2;
  const jumped = await fs.readFile(await stream.segment(far));
  t.is(stream.state.from, far, 'restarted at the far segment');
  t.true(Math.abs(firstTime(jumped, timescale) - segments.starts[far]!) < 0.1, `the far segment's first frame is at ${segments.starts[far]} (the source's time, as from the first run)`);
  t.is(segmentAt(segments, segments.starts[far]! + 0.01), far);
  t.false(stream.state.made.includes(0), 'segments far behind are deleted');

  await conversions.close();
  await t.throwsAsync(fs.readdir(path.join(dir, 'streams')), { code: 'ENOENT' });
});

test('more conversions than allowed are refused with ERR_BUSY before a device is told; start empties what a crash left', async (t) => {
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'streams', 'stream-7'), { recursive: true });
  await fs.writeFile(path.join(dir, 'streams', 'stream-7', '3.m4s'), 'left by a crash');
  const conversions = new Conversions({ dir: path.join(dir, 'streams'), maxConversions: 1 });
  await conversions.start();
  t.teardown(() => conversions.close());
  t.deepEqual(await fs.readdir(path.join(dir, 'streams')), []);
  const file = path.join(dir, 'film.mkv');
  await makeMkv(file);
  const keyframes = await new KeyframeLists().of(file, 'film.mkv');
  const stream = await conversions.open('one', () => Promise.resolve({ file, name: 'film.mkv', plan: REMUX, segments: keyframePlan(keyframes, SECONDS), keyframes }));
  await stream.segment(0);
  t.notThrows(() => conversions.assertRoom('one'), 'the same stream again is not another');
  const busy = t.throws(() => conversions.assertRoom('two'), { instanceOf: BusyError });
  t.is(busy?.code, 'ERR_BUSY');
  t.regex(busy?.message ?? '', /already converting 1 file .*maxConversions/);
  await conversions.drop('one');
  t.notThrows(() => conversions.assertRoom('two'));
});
