import { firstTag, flag, integer, objects, record, tagMap, text, type Json } from './ffprobe-json.ts';
import type { EmbeddedCover, MediaTags, PhotoInfo } from './media-info.ts';

const COVER_NAME = /cover|folder|poster|front/i;
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|bmp)$/i;

// Keys that may be undefined become optional ones that, when present, are not.
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** `value` without its undefined properties: what is unknown is absent, so JSON round-trips. */
export function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Defined<T>;
}

/**
 * Music tags from the format's tags, with the given stream's under them (Ogg and
 * Opus keep theirs there). Keys in any case, as ID3, MP4 atoms and Vorbis comments
 * arrive through ffprobe: `album_artist`, `ALBUMARTIST` or `ALBUM ARTIST`; `track`
 * as `3/12`, or `TRACKNUMBER` with `TRACKTOTAL`.
 */
export function tagsOf(format: Json | undefined, stream: Json | undefined): MediaTags {
  const tags = tagMap(format?.tags);
  for (const [key, value] of tagMap(stream?.tags)) if (!tags.has(key)) tags.set(key, value);
  const [track, trackCount] = counted(firstTag(tags, ['track', 'tracknumber']));
  const [disc, discCount] = counted(firstTag(tags, ['disc', 'discnumber']));
  return defined({
    title: tags.get('title'),
    artist: tags.get('artist'),
    album: tags.get('album'),
    albumArtist: firstTag(tags, ['album_artist', 'albumartist', 'album artist']),
    track,
    trackCount: trackCount ?? positive(firstTag(tags, ['tracktotal', 'totaltracks'])),
    disc,
    discCount: discCount ?? positive(firstTag(tags, ['disctotal', 'totaldiscs'])),
    year: ['date', 'year', 'originaldate'].map((key) => yearOf(tags.get(key))).find((year) => year !== undefined),
    genre: tags.get('genre'),
  });
}

/** `"3/12"` → [3, 12]; `"3"` → [3]; anything else → []. Zero means unknown to taggers. */
function counted(value: string | undefined): [number?, number?] {
  const match = value === undefined ? null : /^(\d{1,6})\s*(?:\/\s*(\d{1,6}))?$/.exec(value);
  return match ? [positive(match[1]), positive(match[2])] : [];
}

function positive(value: string | undefined): number | undefined {
  const parsed = integer(value);
  return parsed !== undefined && parsed > 0 ? parsed : undefined;
}

/** The year of a date tag: its first four digits (`2019`, `2003-05-06`, `2003-05-06T10:00:00Z`). */
function yearOf(value: string | undefined): number | undefined {
  const year = value === undefined ? undefined : /^(\d{4})(?!\d)/.exec(value)?.[1];
  return year === undefined || year === '0000' ? undefined : Number(year);
}

/**
 * A photo's size from its picture stream, and EXIF Orientation and date from the first
 * frame's tags (ffprobe reports EXIF only there, with `-show_frames` or `-show_entries`).
 */
export function photoOf(frames: unknown, picture: { readonly width?: number; readonly height?: number } | undefined): PhotoInfo {
  const tags = tagMap(objects(frames, 1)[0]?.tags);
  // ffprobe left-pads the orientation ("    6"); the tag reader trims it.
  const orientation = integer(tags.get('orientation'));
  return defined({
    width: picture?.width,
    height: picture?.height,
    orientation: orientation !== undefined && orientation >= 1 && orientation <= 8 ? orientation : undefined,
    taken: exifDate(tags.get('datetimeoriginal')) ?? exifDate(tags.get('datetimedigitized')),
  });
}

/** `2021:07:14 18:30:05` → `2021-07-14T18:30:05`; cameras without a clock write zeros, which is no date. */
function exifDate(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1) as [string, string, string, string, string, string];
  return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
}

/**
 * The cover among the pictures (music's attached pictures, MKV's image attachments):
 * one named front, then cover/folder/poster, then the first.
 */
export function coverOf(streams: readonly Json[]): EmbeddedCover | undefined {
  let best: { cover: EmbeddedCover; score: number } | undefined;
  streams.forEach((stream, position) => {
    const tags = tagMap(stream.tags);
    const name = `${tags.get('filename') ?? ''} ${tags.get('comment') ?? ''} ${tags.get('title') ?? ''}`;
    const mime = tags.get('mimetype') ?? '';
    const picture = stream.codec_type === 'video' && flag(record(stream.disposition), 'attached_pic');
    const attachment = stream.codec_type === 'attachment' && (mime.startsWith('image/') || IMAGE_FILE.test(tags.get('filename') ?? ''));
    if (!picture && !attachment) return;
    const score = /front/i.test(name) ? 3 : COVER_NAME.test(name) ? 2 : 1;
    if (best && best.score >= score) return;
    const codec = text(stream.codec_name) ?? imageCodec(mime, tags.get('filename') ?? '');
    best = { cover: { stream: integer(stream.index) ?? position, codec }, score };
  });
  return best?.cover;
}

function imageCodec(mime: string, filename: string): string {
  if (/jpe?g/i.test(mime) || /\.jpe?g$/i.test(filename)) return 'mjpeg';
  const type = /^image\/([a-z0-9.+-]{1,20})$/i.exec(mime)?.[1] ?? /\.([a-z]+)$/i.exec(filename)?.[1];
  return type?.toLowerCase() ?? 'unknown';
}
