import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes a real H.264/AAC MP4 with ffmpeg. Without `+faststart` the mp4 muxer
 * writes the moov atom at the end, which makes a player jump to the end first.
 */
export async function makeMp4(file: string, options: { seconds: number; faststart?: boolean; cbrKbps?: number }): Promise<void> {
  // A test pattern compresses to almost nothing; constant bitrate with filler makes
  // the file as big as a real one of that length, so a player must seek in it.
  const bitrate = options.cbrKbps
    ? ['-b:v', `${options.cbrKbps}k`, '-minrate', `${options.cbrKbps}k`, '-maxrate', `${options.cbrKbps}k`, '-bufsize', `${options.cbrKbps}k`, '-x264-params', 'nal-hrd=cbr']
    : [];
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=320x180:rate=25:duration=${options.seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${options.seconds}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', ...bitrate,
    '-c:a', 'aac', '-b:a', '64k',
    ...(options.faststart ? ['-movflags', '+faststart'] : []),
    file,
  ]);
}

/** The top-level MP4 boxes of a file, in order (`ftyp`, `mdat`, `moov`…). */
export async function topLevelBoxes(file: string): Promise<string[]> {
  const bytes = await fs.readFile(file);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    boxes.push(bytes.toString('latin1', offset + 4, offset + 8));
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

/** A PNG test picture of the given size, made with ffmpeg. */
export async function makePng(file: string, width = 640, height = 360): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}`, '-frames:v', '1', file]);
}

/**
 * An hour-long H.264/AAC film of 12 KB (test/fixtures/README.md says how it was made):
 * real media for tests that cast a film to the simulator and pause or seek minutes in.
 */
export const FILM = new URL('../fixtures/film.mp4', import.meta.url);

/** The fixture film's bytes, to put in a test tree (`{ 'Films/Film.mp4': await film() }`). */
export function film(): Promise<Buffer> {
  return fs.readFile(FILM);
}

/** The sample files of the model table test: what each holds, and its file name's extension. */
export const SAMPLES = {
  'h264-aac.mp4': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  'hevc-main10.mkv': ['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error', '-c:a', 'aac'],
  'vp9-opus.webm': ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-c:a', 'libopus'],
  'h264-ac3-5.1.mkv': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-ac', '6'],
  'h264-aac.ts': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mpegts'],
  // In a container every model reads, so the codec alone decides.
  'h264-ac3-5.1.mp4': ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-ac', '6'],
  'hevc-main10.mp4': ['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-c:a', 'aac'],
} as const;

export type SampleName = keyof typeof SAMPLES;

/** Makes one of the {@link SAMPLES}: `seconds` of a 320x180 test pattern at 25 fps with a tone. */
export async function makeSample(file: string, name: SampleName, seconds = 1): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=320x180:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    ...SAMPLES[name],
    file,
  ]);
}
