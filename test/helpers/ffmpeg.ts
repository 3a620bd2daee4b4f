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
