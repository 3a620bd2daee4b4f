import { flag, integer, number, objects, ratio, record, tagMap, text, type Json } from './ffprobe-json.ts';
import { coverOf, defined, photoOf, tagsOf } from './media-tags.ts';
import type { MediaKind } from './media-types.ts';

export { isMediaInfo } from './media-info-check.ts';

/**
 * What ffprobe found in one media file. Optional fields are absent when the file
 * does not say (never null), so the value round-trips through JSON unchanged.
 */
export interface MediaInfo {
  /** Seconds (`format.duration`). */
  readonly duration?: number;
  /** ffprobe's `format_name`, such as `matroska,webm` or `mov,mp4,m4a,3gp,3g2,mj2`. */
  readonly container?: string;
  /** Overall bits per second. */
  readonly bitrate?: number;
  /** Real video streams: not cover pictures. */
  readonly video: readonly VideoStreamInfo[];
  readonly audio: readonly AudioStreamInfo[];
  readonly subtitles: readonly EmbeddedSubtitleInfo[];
  readonly tags: MediaTags;
  /** An embedded cover picture: a music file's, or an MKV attachment that is one. */
  readonly cover?: EmbeddedCover;
  /** Only for images. */
  readonly photo?: PhotoInfo;
}

/** A video stream. `index` is the stream's index in the file (for ffmpeg's `-map 0:N`). */
export interface VideoStreamInfo {
  readonly index: number;
  /** ffprobe's codec name: `h264`, `hevc`, `vp9`, `av1`… */
  readonly codec: string;
  readonly profile?: string;
  /** As written in specs: 4.1 (H.264 level_idc 41), 3.1 (HEVC general_level_idc 93), 4 (HEVC 120). */
  readonly level?: number;
  readonly width?: number;
  readonly height?: number;
  /** Bits per sample: 8, 10, 12. */
  readonly bitDepth?: number;
  readonly hdr?: 'hdr10' | 'hlg' | 'dolby-vision';
  /** Frames per second (average), to three decimals. */
  readonly frameRate?: number;
  /** The display matrix's rotation as ffprobe reports it, in degrees 0–359 (a phone's portrait video: 90 or 270). */
  readonly rotation?: number;
}

/** An audio stream. */
export interface AudioStreamInfo {
  readonly index: number;
  /** `aac`, `ac3`, `eac3`, `mp3`, `flac`, `opus`… */
  readonly codec: string;
  readonly profile?: string;
  readonly channels?: number;
  /** ffprobe's channel layout: `stereo`, `5.1(side)`… */
  readonly layout?: string;
  readonly sampleRate?: number;
  /** ISO 639-2 as the file gives it (`eng`, `fre`); absent for `und`. */
  readonly language?: string;
  readonly title?: string;
  readonly default: boolean;
}

/** A subtitle stream inside the media file. */
export interface EmbeddedSubtitleInfo {
  readonly index: number;
  /** `subrip`, `ass`, `mov_text`, `webvtt`, `hdmv_pgs_subtitle`… */
  readonly codec: string;
  readonly language?: string;
  readonly title?: string;
  readonly forced: boolean;
  readonly default: boolean;
  /** False for pictures of text (PGS, DVD, DVB…): those can be burned in but not turned into WebVTT. */
  readonly text: boolean;
}

/** Music tags, from whichever container spelling the file uses. */
export interface MediaTags {
  readonly title?: string;
  readonly artist?: string;
  readonly album?: string;
  readonly albumArtist?: string;
  readonly track?: number;
  readonly trackCount?: number;
  readonly disc?: number;
  readonly discCount?: number;
  readonly year?: number;
  readonly genre?: string;
}

/** An embedded cover picture: the stream that holds it, and its codec (`mjpeg`, `png`…). */
export interface EmbeddedCover {
  readonly stream: number;
  readonly codec: string;
}

/** What a photo's EXIF and pixels say. */
export interface PhotoInfo {
  readonly width?: number;
  readonly height?: number;
  /** EXIF Orientation, 1–8 (6: turn 90° clockwise to view). */
  readonly orientation?: number;
  /** EXIF DateTimeOriginal as `YYYY-MM-DDTHH:MM:SS`: the camera's local time, with no zone. */
  readonly taken?: string;
}

// A real file has a handful; one made to exhaust memory may claim thousands.
const MAX_STREAMS = 64;
// Pictures of text: they can be burned in, not converted to WebVTT. Teletext too:
// FFmpeg's decoder renders bitmaps unless told otherwise.
const IMAGE_SUBTITLES = new Set(['hdmv_pgs_subtitle', 'dvd_subtitle', 'dvb_subtitle', 'xsub', 'dvb_teletext']);

/**
 * Reads `ffprobe -print_format json -show_format -show_streams` output (plus
 * `frames[0].tags` for images) into a {@link MediaInfo}. Pure, and total: any JSON,
 * however odd, gives a bounded value and never throws.
 */
export function mediaInfoFromFfprobe(json: unknown, kind: MediaKind): MediaInfo {
  const root = record(json);
  const format = record(root?.format);
  const streams = objects(root?.streams, MAX_STREAMS);
  const video: VideoStreamInfo[] = [];
  const audio: AudioStreamInfo[] = [];
  const subtitles: EmbeddedSubtitleInfo[] = [];
  let firstAudio: Json | undefined;
  streams.forEach((stream, position) => {
    const index = integer(stream.index) ?? position;
    const codec = text(stream.codec_name) ?? 'unknown';
    const tags = tagMap(stream.tags);
    const disposition = record(stream.disposition);
    const language = tags.get('language') === 'und' ? undefined : tags.get('language');
    if (stream.codec_type === 'video' && !flag(disposition, 'attached_pic')) {
      video.push(videoOf(stream, index, codec, tags));
    } else if (stream.codec_type === 'audio') {
      firstAudio ??= stream;
      const { profile, channels, channel_layout: layout, sample_rate: sampleRate } = stream;
      audio.push(defined({ index, codec, profile: text(profile), channels: integer(channels), layout: text(layout), sampleRate: integer(sampleRate), language, title: tags.get('title'), default: flag(disposition, 'default') }));
    } else if (stream.codec_type === 'subtitle') {
      const isText = codec !== 'unknown' && !IMAGE_SUBTITLES.has(codec);
      subtitles.push(defined({ index, codec, language, title: tags.get('title'), forced: flag(disposition, 'forced'), default: flag(disposition, 'default'), text: isText }));
    }
  });
  const bitrate = number(format?.bit_rate);
  return defined({
    duration: number(format?.duration),
    container: text(format?.format_name),
    bitrate: bitrate === undefined ? undefined : Math.round(bitrate),
    video,
    audio,
    subtitles,
    // Ogg and Opus keep their Vorbis comments on the audio stream. In a film, that
    // stream's title names the track ("English"), not the work: only music looks there.
    tags: tagsOf(format, kind === 'audio' ? firstAudio : undefined),
    cover: kind === 'image' ? undefined : coverOf(streams),
    photo: kind === 'image' ? photoOf(root?.frames, video[0]) : undefined,
  });
}

function videoOf(stream: Json, index: number, codec: string, tags: ReadonlyMap<string, string>): VideoStreamInfo {
  const sideData = objects(stream.side_data_list, 16);
  const rawBits = integer(stream.bits_per_raw_sample);
  const pixels = text(stream.pix_fmt);
  const dolbyVision = sideData.some((side) => (typeof side.side_data_type === 'string' && /dovi|dolby vision/i.test(side.side_data_type)) || 'dv_profile' in side);
  const transfer = stream.color_transfer;
  const hdr: VideoStreamInfo['hdr'] = dolbyVision ? 'dolby-vision' : transfer === 'smpte2084' ? 'hdr10' : transfer === 'arib-std-b67' ? 'hlg' : undefined;
  // Side data is the current place; `tags.rotate` the one of ffprobe before 5.0.
  const rotation = sideData.map((side) => side.rotation).find((value) => typeof value === 'number' && Number.isFinite(value)) ?? Number.parseInt(tags.get('rotate') ?? '', 10);
  return defined({
    index,
    codec,
    profile: text(stream.profile),
    level: levelOf(codec, integer(stream.level)),
    width: integer(stream.width),
    height: integer(stream.height),
    bitDepth: rawBits !== undefined && rawBits > 0 && rawBits <= 16 ? rawBits : pixels === undefined ? undefined : pixelDepth(pixels),
    hdr,
    frameRate: ratio(stream.avg_frame_rate) ?? ratio(stream.r_frame_rate),
    rotation: typeof rotation === 'number' && Number.isFinite(rotation) ? ((Math.round(rotation) % 360) + 360) % 360 : undefined,
  });
}

/** The level as specs write it, from ffprobe's integer (whose scale depends on the codec). */
function levelOf(codec: string, level: number | undefined): number | undefined {
  if (level === undefined || (level === 0 && codec !== 'av1')) return undefined;
  if (codec === 'h264') return level / 10;
  if (codec === 'hevc') return Math.round(level / 3) / 10; // general_level_idc is 30 × the level
  // AV1's seq_level_idx: 0 is 2.0, 1 is 2.1… 31 means "no level".
  if (codec === 'av1' && level < 31) return 2 + (level >> 2) + (level & 3) / 10;
  return undefined;
}

/** Bits per sample from a pixel format's name: `yuv420p10le` → 10, `p010le` → 10, `yuv420p` → 8. */
function pixelDepth(pixels: string): number {
  const bits = Number(/(\d+)[lb]e$/.exec(pixels)?.[1]);
  return bits >= 9 && bits <= 16 ? bits : 8;
}
