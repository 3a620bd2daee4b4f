// The playlists of a converted stream: a master playlist that says its codecs (Cast
// receivers set up their decoders from it) and a VOD media playlist holding every
// segment from the start, so devices show the real timeline and seek natively.
import type { MediaInfo } from '../library/media-info.ts';
import type { PlaybackPlan } from './playback-plan.ts';
import { segmentLength, type SegmentPlan } from './segment-plan.ts';

/** The master playlist: one variant, its codecs, size and bandwidth. */
export function masterPlaylist(plan: PlaybackPlan, info: MediaInfo | undefined, mediaUri: string): string {
  const video = plan.video && info?.video.find((stream) => stream.index === plan.video!.stream);
  const width = plan.video?.encode?.width ?? video?.width;
  const height = plan.video?.encode?.height ?? video?.height;
  const bandwidth = Math.round((plan.video?.encode?.bitrate ?? info?.bitrate ?? 8_000_000) * 1.2 + (plan.audio?.encode?.bitrate ?? 0));
  const codecs = codecsOf(plan, info);
  const attributes = [`BANDWIDTH=${bandwidth}`, ...(codecs ? [`CODECS="${codecs}"`] : []), ...(width && height ? [`RESOLUTION=${width}x${height}`] : [])];
  return `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:${attributes.join(',')}\n${mediaUri}\n`;
}

/** The media playlist: every segment, `uri(index)` for each and `initUri` for the init segment. */
export function mediaPlaylist(segments: SegmentPlan, initUri: string, uri: (index: number) => string): string {
  const lengths = segments.starts.map((_, index) => segmentLength(segments, index));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(Math.max(...lengths)))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${initUri}"`,
  ];
  lengths.forEach((length, index) => lines.push(`#EXTINF:${length.toFixed(6)},`, uri(index)));
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/** RFC 6381 codec strings (`avc1.640028,mp4a.40.2`); undefined when one of them is not known. */
export function codecsOf(plan: PlaybackPlan, info: MediaInfo | undefined): string | undefined {
  const codecs: string[] = [];
  if (plan.video) {
    const encode = plan.video.encode;
    const stream = info?.video.find((entry) => entry.index === plan.video!.stream);
    const video = encode ? avc('High', encode.level) : stream && videoCodec(stream.codec, stream.profile, stream.level);
    if (!video) return undefined;
    codecs.push(video);
  }
  if (plan.audio) {
    const codec = plan.audio.encode ? 'aac' : info?.audio.find((entry) => entry.index === plan.audio!.stream)?.codec;
    const audio = codec && AUDIO_CODECS[codec];
    if (!audio) return undefined;
    codecs.push(audio);
  }
  return codecs.join(',');
}

const AUDIO_CODECS: Readonly<Record<string, string>> = { aac: 'mp4a.40.2', mp3: 'mp4a.40.34', ac3: 'ac-3', eac3: 'ec-3', opus: 'opus', flac: 'fLaC' };
const AVC_PROFILES: Readonly<Record<string, string>> = { 'Constrained Baseline': '42E0', Baseline: '4200', Main: '4D00', High: '6400', 'High 10': '6E00' };

function videoCodec(codec: string, profile: string | undefined, level: number | undefined): string | undefined {
  if (codec === 'h264') return avc(profile ?? 'High', level ?? 4.1);
  // HEVC: general profile 1 (Main) or 2 (Main 10), tier Main, level × 30, no constraint flags.
  if (codec === 'hevc') return `hvc1.${profile === 'Main 10' ? '2.4' : '1.6'}.L${Math.round((level ?? 4) * 30)}.B0`;
  return undefined;
}

function avc(profile: string, level: number): string | undefined {
  const prefix = AVC_PROFILES[profile];
  return prefix ? `avc1.${prefix}${Math.round(level * 10).toString(16).padStart(2, '0').toUpperCase()}`.toLowerCase() : undefined;
}
