import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';

/** Runs the system ffmpeg quietly, overwriting its output. */
async function ffmpeg(args: readonly string[]): Promise<void> {
  await run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello\n';
const ASS = `[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,Bonjour
`;

/**
 * A 1 s MKV: H.264 (level 4.1) video; AAC stereo 'eng' "English" (default) and AC3 5.1
 * 'fre' "Français"; SRT subtitles 'eng' and ASS subtitles 'fre' (forced).
 */
export async function makeMkvWithTracks(dir: string): Promise<string> {
  const [srt, ass, file] = [path.join(dir, 'tracks.srt'), path.join(dir, 'tracks.ass'), path.join(dir, 'tracks.mkv')];
  await fs.writeFile(srt, SRT);
  await fs.writeFile(ass, ASS);
  await ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=220:duration=1',
    '-i', srt, '-i', ass,
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-map', '3', '-map', '4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-level', '4.1', '-pix_fmt', 'yuv420p',
    '-c:a:0', 'aac', '-ac:a:0', '2', '-c:a:1', 'ac3', '-ac:a:1', '6', '-c:s:0', 'srt', '-c:s:1', 'ass',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:0', 'title=English',
    '-metadata:s:a:1', 'language=fre', '-metadata:s:a:1', 'title=Français',
    '-metadata:s:s:0', 'language=eng', '-metadata:s:s:1', 'language=fre',
    '-disposition:a:0', 'default', '-disposition:a:1', '0', '-disposition:s:0', '0', '-disposition:s:1', 'forced',
    file,
  ]);
  return file;
}

/**
 * A mono MP3 (1 s unless told) with ID3v2.3 tags (track 3/12, disc 1/2, 2019, Rock)
 * and a JPEG front cover: `cover` px square (64 unless told), or none if `false`.
 */
export async function makeTaggedMp3(dir: string, options: { seconds?: number; cover?: number | false } = {}): Promise<string> {
  const file = path.join(dir, 'tagged.mp3');
  const seconds = options.seconds ?? 1;
  const cover = options.cover ?? 64;
  const picture = cover === false ? [] : [
    '-f', 'lavfi', '-i', `testsrc=size=${cover}x${cover}:rate=1:duration=1`,
    '-map', '0:a', '-map', '1:v', '-c:v', 'mjpeg', '-frames:v', '1',
    '-disposition:v', 'attached_pic', '-metadata:s:v', 'comment=Cover (front)',
  ];
  await ffmpeg([
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    ...picture,
    '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '3',
    '-metadata', 'title=Song Title', '-metadata', 'artist=The Artist', '-metadata', 'album=The Album',
    '-metadata', 'album_artist=Various Artists', '-metadata', 'track=3/12', '-metadata', 'disc=1/2',
    '-metadata', 'date=2019', '-metadata', 'genre=Rock',
    file,
  ]);
  return file;
}

/** A 1 s FLAC whose Vorbis comments are written in upper case, as taggers do. */
export async function makeTaggedFlac(dir: string): Promise<string> {
  const file = path.join(dir, 'tagged.flac');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'flac',
    '-metadata', 'TITLE=Flac Song', '-metadata', 'ARTIST=Flac Artist', '-metadata', 'ALBUM=Flac Album',
    '-metadata', 'ALBUM ARTIST=Flac Album Artist', '-metadata', 'TRACKNUMBER=5', '-metadata', 'TRACKTOTAL=9',
    '-metadata', 'DISCNUMBER=2', '-metadata', 'DATE=2003-05-06', '-metadata', 'GENRE=Jazz',
    file,
  ]);
  return file;
}

/** The date {@link makeJpegWithExif} writes as DateTimeOriginal. */
export const EXIF_DATE = '2021:07:14 18:30:05';

/**
 * A 160x120 JPEG with an Exif APP1 segment (Orientation, and DateTimeOriginal
 * {@link EXIF_DATE}). ffmpeg cannot write EXIF, so the segment is written by hand.
 */
export async function makeJpegWithExif(dir: string, orientation: number): Promise<string> {
  const file = path.join(dir, `photo-${orientation}.jpg`);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120', '-frames:v', '1', file]);
  const jpeg = await fs.readFile(file);
  await fs.writeFile(file, Buffer.concat([jpeg.subarray(0, 2), exifSegment(orientation, EXIF_DATE), jpeg.subarray(2)]));
  return file;
}

/**
 * APP1 "Exif\0\0" + a little-endian TIFF: IFD0 (Orientation, ExifIFDPointer) → Exif
 * IFD (DateTimeOriginal). Offsets count from the TIFF header; entries are 12 bytes.
 */
export function exifSegment(orientation: number, date: string): Buffer {
  const exifIfd = 8 + 2 + 2 * 12 + 4;
  const dateAt = exifIfd + 2 + 12 + 4;
  const tiff = Buffer.alloc(dateAt + 20);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number): void => {
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(count, at + 4);
    if (type === 3) tiff.writeUInt16LE(value, at + 8); // a SHORT sits left-justified in the value field
    else tiff.writeUInt32LE(value, at + 8);
  };
  tiff.writeUInt16LE(2, 8);
  entry(10, 0x0112, 3, 1, orientation);
  entry(22, 0x8769, 4, 1, exifIfd);
  tiff.writeUInt32LE(0, 34);
  tiff.writeUInt16LE(1, exifIfd);
  entry(exifIfd + 2, 0x9003, 2, 20, dateAt);
  tiff.writeUInt32LE(0, exifIfd + 14);
  tiff.write(`${date}\0`, dateAt, 'latin1');
  const header = Buffer.alloc(10);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + 6 + tiff.length, 2); // the length counts itself, not the marker
  header.write('Exif\0\0', 4, 'latin1');
  return Buffer.concat([header, tiff]);
}

/** 64 KiB of random bytes named `.mkv`. */
export async function makeCorrupt(dir: string): Promise<string> {
  const file = path.join(dir, 'corrupt.mkv');
  await fs.writeFile(file, randomBytes(64 * 1024));
  return file;
}

/** A zero-byte `.mp4`. */
export async function makeEmpty(dir: string): Promise<string> {
  const file = path.join(dir, 'empty.mp4');
  await fs.writeFile(file, '');
  return file;
}

let encoders: Promise<string> | undefined;

/** Whether this ffmpeg has the named encoder (`libx265`…). */
export async function hasEncoder(name: string): Promise<boolean> {
  encoders ??= run(FFMPEG, ['-hide_banner', '-encoders']).then(({ stdout }) => stdout);
  return new RegExp(String.raw`^\s*\S+\s+${name}\s`, 'm').test(await encoders);
}

/** A 1 s HEVC Main 10 MKV (yuv420p10le), or undefined when this ffmpeg has no libx265. */
export async function makeHevc10(dir: string): Promise<string | undefined> {
  if (!(await hasEncoder('libx265'))) return undefined;
  const file = path.join(dir, 'hevc10.mkv');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25:duration=1',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error',
    file,
  ]);
  return file;
}
