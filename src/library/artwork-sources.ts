import type { OpenDirOptions } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArtworkSubject } from './artwork.ts';
import { fromDiskBytes, fsPath } from './disk-names.ts';

/** One way to make an item's picture: an input and the ffmpeg options around it. */
export interface ArtworkSource {
  /** For the log: `embedded cover`, `poster.jpg`, `frame at 12.3 s`… */
  readonly what: string;
  /** The input file, lossless. */
  readonly input: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** A folder with more entries than this is not searched further for cover files. */
export const MAX_FOLDER_ENTRIES = 2000;

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];
// After Kodi's music thumbs and Jellyfin's music image names (research/issue21.md §6).
const AUDIO_COVERS = ['folder', 'cover', 'front', 'album'];
const SEASON_FOLDER = /^(?:season[ ._-]*\d{1,4}|specials)$/i;
// Jellyfin's frame: 10 % in when the duration is known, else 10 s in.
const FRAME_FRACTION = 0.1;
const FRAME_FALLBACK_SECONDS = 10;

/**
 * The ways to make the picture of `subject`, best first; the caller asks for the
 * next only when the previous one gave nothing. Audio: the embedded cover, then a
 * cover file beside it. Video: a poster beside it (or beside its series), then a
 * frame. Image: the photo itself.
 */
export async function* artworkSources(subject: ArtworkSubject, box: number): AsyncGenerator<ArtworkSource> {
  const fit = fitFilter(box);
  const still = (what: string, input: string): ArtworkSource => ({ what, input, before: [], after: [...fit, ...JPEG] });
  if (subject.kind === 'image') {
    // ffmpeg turns a JPEG by its EXIF orientation itself (research §3.8): a transpose here would turn it twice.
    yield still('photo', subject.absolutePath);
    return;
  }
  const folder = path.dirname(subject.absolutePath);
  if (subject.kind === 'audio') {
    // With the stream known it is taken; otherwise ffmpeg picks the biggest video
    // stream, and in an audio file every one is a cover (`-map 0:v -map -0:V` maps them
    // all, and an MP3 with two covers then fails: one JPEG holds one stream).
    const map = subject.cover ? ['-map', `0:${subject.cover.stream}`] : ['-an', '-sn', '-dn'];
    yield { what: 'embedded cover', input: subject.absolutePath, before: [], after: [...map, ...fit, ...JPEG] };
    const cover = await findImage(folder, AUDIO_COVERS);
    if (cover) yield still(path.basename(cover), cover);
    return;
  }
  const stem = stemOf(path.basename(subject.absolutePath)).toLowerCase();
  const poster = (await findImage(folder, [`${stem}-poster`, stem, 'poster', 'folder', 'cover'])) ?? (await seriesPoster(folder, subject.root));
  if (poster) yield still(path.basename(poster), poster);
  const duration = subject.duration ?? 0;
  const known = Number.isFinite(duration) && duration > 0;
  const at = known ? duration * FRAME_FRACTION : FRAME_FALLBACK_SECONDS;
  // `-ss` before `-i` seeks the input to a keyframe instead of decoding all the way there.
  const frame = (seconds: number): ArtworkSource => ({
    what: `frame at ${seconds.toFixed(1)} s`,
    input: subject.absolutePath,
    before: seconds > 0 ? ['-ss', seconds.toFixed(3)] : [],
    // The first real video stream (`V`: not a cover), its pixels made square first (DVDs are anamorphic).
    after: ['-map', '0:V:0', ...fitFilter(box, SQUARE_PIXELS), ...JPEG],
  });
  yield frame(at);
  // An unknown duration shorter than 10 s: the seek lands past the end and ffmpeg writes nothing.
  if (!known) yield frame(0);
}

const JPEG = ['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg'];
const SQUARE_PIXELS = "scale=w='trunc(iw*max(1,sar)/2)*2':h='trunc(ih/min(1,sar)/2)*2',setsar=1,";

// Fits the box and never enlarges: the target is the smaller of the box and the picture.
function fitFilter(box: number, prefix = ''): string[] {
  return ['-vf', `${prefix}scale=w='min(${box},iw)':h='min(${box},ih)':force_original_aspect_ratio=decrease`];
}

// In `Show/Season 02/`, the series' poster stands for the episodes, unless the season
// folder is the root itself: nothing above a root is read.
async function seriesPoster(folder: string, root: string | undefined): Promise<string | undefined> {
  if (!SEASON_FOLDER.test(path.basename(folder))) return undefined;
  const parent = path.dirname(folder);
  if (root !== undefined) {
    const relative = path.relative(root, parent);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  }
  return findImage(parent, ['poster', 'folder']);
}

/**
 * The best image file in `folder` whose name without its extension is one of
 * `bases` (lower case; the earlier the better), matched case-insensitively. Reads
 * at most {@link MAX_FOLDER_ENTRIES} entries; only regular files (a symlink could
 * lead out of the library), and no empty ones.
 */
async function findImage(folder: string, bases: readonly string[]): Promise<string | undefined> {
  let best: { rank: number; name: string } | undefined;
  let seen = 0;
  try {
    // Names as bytes: a name that is not UTF-8 must come back as a path that opens it.
    const dir = await fs.opendir(fsPath(folder), { encoding: 'buffer' } as unknown as OpenDirOptions);
    for await (const entry of dir) {
      if (++seen > MAX_FOLDER_ENTRIES) break; // leaving the loop closes the directory
      if (!entry.isFile()) continue;
      const name = fromDiskBytes(entry.name as unknown as Buffer);
      const extension = path.extname(name).toLowerCase();
      const extensionRank = IMAGE_EXTENSIONS.indexOf(extension);
      const baseRank = bases.indexOf(name.slice(0, name.length - extension.length).toLowerCase());
      if (extensionRank < 0 || baseRank < 0) continue;
      const rank = baseRank * IMAGE_EXTENSIONS.length + extensionRank;
      if (best === undefined || rank < best.rank) best = { rank, name };
    }
  } catch {
    return undefined; // an unreadable folder has no cover files
  }
  if (best === undefined) return undefined;
  const file = path.join(folder, best.name);
  const stat = await fs.stat(fsPath(file)).catch(() => undefined);
  return stat !== undefined && stat.size > 0 ? file : undefined;
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
