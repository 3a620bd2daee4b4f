// What one device plays, as the per-device decision reads it: its model's row of
// Google's table (device-models.ts), what the user says about it (a TV that passes
// AC3 through, a receiver with 5.1), and what the device itself answered when asked
// (our receiver page and browser targets answer `canDisplayType` / `isTypeSupported`
// for the codec strings below).
import type { SupportType } from '../protocol/supports.ts';
import { DEFAULT_DEVICE_MODEL, deviceModel, DEVICE_MODELS, type DeviceModel, type DeviceModelId, type VideoSupport } from './device-models.ts';

/** Audio codecs that are only ever passed through to a TV or an AV receiver, never decoded by a Cast device. */
export type PassthroughCodec = 'ac3' | 'eac3';

/** What a user may say about one device (the `devices` config, by name). */
export interface DeviceOverride {
  /** Its model, where its mDNS name does not tell (every Chromecast up to the 3rd generation calls itself "Chromecast"). */
  readonly model?: DeviceModelId;
  /** Codecs the TV or receiver behind it decodes from the HDMI or optical passthrough. */
  readonly audioPassthrough?: readonly PassthroughCodec[];
  /** How many audio channels it plays (a 5.1 receiver: 6). Default 2: more is mixed down. */
  readonly maxAudioChannels?: number;
  /** A cap on the video bitrate of conversions, bits per second (a weak Wi-Fi). */
  readonly maxVideoBitrate?: number;
}

/** What a device answered about codec strings: `true` plays, `false` does not; absent: not asked. */
export type ReportedSupport = Readonly<Record<string, boolean>>;

/** What the decision needs to know of one device. */
export interface DeviceProfile {
  /** As a person reads it: `Chromecast (3rd generation)`, `Chromium (browser target)`. */
  readonly name: string;
  readonly screen: boolean;
  /** Containers as the table names them (`mp4`, `webm`, `mpegts`, `matroska`…). */
  readonly containers: readonly string[];
  readonly video: readonly VideoSupport[];
  /** Audio codecs it decodes, as ffprobe names them, passthrough ones included. */
  readonly audio: readonly string[];
  readonly maxAudioChannels: number;
  readonly hdr: readonly string[];
  /** Bits per second a conversion may use at most. */
  readonly maxVideoBitrate: number;
}

/** One question a device answers: a MIME type with codecs, and what a `true` adds. */
export interface SupportQuery {
  readonly type: SupportType;
  readonly adds: { readonly container: string } | { readonly audio: string } | { readonly video: VideoSupport };
}

const mode = (width: number, height: number, fps: number) => ({ width, height, fps });
const HD = [mode(1920, 1080, 60)];
const UHD = [mode(3840, 2160, 60)];
const AVC = ['Constrained Baseline', 'Baseline', 'Main', 'High'];

/** What each of the protocol's `SUPPORT_TYPES` adds to a profile when a device says it plays it. */
export const SUPPORT_QUERIES: readonly SupportQuery[] = [
  { type: 'video/mp4', adds: { container: 'mp4' } },
  { type: 'video/webm', adds: { container: 'webm' } },
  { type: 'video/mp2t', adds: { container: 'mpegts' } },
  { type: 'video/x-matroska', adds: { container: 'matroska' } },
  { type: 'video/x-msvideo', adds: { container: 'avi' } },
  { type: 'audio/mp4; codecs="mp4a.40.2"', adds: { audio: 'aac' } },
  { type: 'audio/mpeg', adds: { audio: 'mp3' } },
  { type: 'audio/webm; codecs="opus"', adds: { audio: 'opus' } },
  { type: 'audio/webm; codecs="vorbis"', adds: { audio: 'vorbis' } },
  { type: 'audio/flac', adds: { audio: 'flac' } },
  { type: 'audio/mp4; codecs="ac-3"', adds: { audio: 'ac3' } },
  { type: 'audio/mp4; codecs="ec-3"', adds: { audio: 'eac3' } },
  { type: 'video/mp4; codecs="avc1.640029"', adds: { video: { codec: 'h264', profiles: AVC, maxLevel: 4.1, modes: HD, maxBitDepth: 8 } } },
  { type: 'video/mp4; codecs="avc1.640033"', adds: { video: { codec: 'h264', profiles: AVC, maxLevel: 5.1, modes: UHD, maxBitDepth: 8 } } },
  { type: 'video/mp4; codecs="hvc1.1.6.L153.B0"', adds: { video: { codec: 'hevc', profiles: ['Main'], maxLevel: 5.1, modes: UHD, maxBitDepth: 8 } } },
  { type: 'video/mp4; codecs="hvc1.2.4.L153.B0"', adds: { video: { codec: 'hevc', profiles: ['Main', 'Main 10'], maxLevel: 5.1, modes: UHD, maxBitDepth: 10 } } },
  { type: 'video/webm; codecs="vp8"', adds: { video: { codec: 'vp8', modes: HD, maxBitDepth: 8 } } },
  { type: 'video/webm; codecs="vp09.00.51.08"', adds: { video: { codec: 'vp9', profiles: ['Profile 0'], modes: UHD, maxBitDepth: 8 } } },
  { type: 'video/webm; codecs="vp09.02.51.10"', adds: { video: { codec: 'vp9', profiles: ['Profile 0', 'Profile 2'], modes: UHD, maxBitDepth: 10 } } },
  { type: 'video/mp4; codecs="av01.0.13M.10"', adds: { video: { codec: 'av1', profiles: ['Main'], maxLevel: 5.1, modes: UHD, maxBitDepth: 10 } } },
];

/** A receiver's `supports` list (what it said yes to) as answers to every question: the ones it left out are no. */
export function reportedSupport(supports: readonly string[]): ReportedSupport {
  return Object.fromEntries(SUPPORT_QUERIES.map((query) => [query.type, supports.includes(query.type)]));
}

/** Bits per second for a conversion at a height: what streaming services use, with room. */
export function bitrateForHeight(height: number): number {
  return height > 1080 ? 20_000_000 : height > 720 ? 8_000_000 : height > 480 ? 4_000_000 : 2_000_000;
}

/** A model's row as a profile, with what the user says on top. */
export function modelProfile(model: DeviceModel, override: DeviceOverride = {}): DeviceProfile {
  return {
    name: model.name,
    screen: model.castType === 'video',
    containers: model.containers,
    video: model.video,
    audio: [...model.audio, ...(override.audioPassthrough ?? [])],
    maxAudioChannels: override.maxAudioChannels ?? 2,
    hdr: model.hdr,
    maxVideoBitrate: override.maxVideoBitrate ?? 40_000_000,
  };
}

/**
 * A Cast device's profile from its mDNS model name (`md`), the user's override, and
 * what our receiver page reported on it. A name we do not know (a TV with Cast built
 * in) is taken as the most limited common model: a conversion too many costs CPU, a
 * conversion too few shows a black screen.
 */
export function castDeviceProfile(modelName: string, override: DeviceOverride = {}, reported?: ReportedSupport): DeviceProfile {
  const model = deviceModel(override.model ?? '') ?? modelOfName(modelName);
  const profile = modelProfile(model, override);
  return reported ? refineProfile(profile, reported) : profile;
}

function modelOfName(modelName: string): DeviceModel {
  const byName = [...DEVICE_MODELS.values()].find((model) => model.modelName === modelName && model.id !== 'chromecast-1st-2nd-gen' && model.id !== 'chromecast-google-tv');
  if (byName) return byName;
  if (/^Google (Home|Nest (Mini|Audio|Wifi))|Chromecast Audio/i.test(modelName)) return DEVICE_MODELS.get('audio')!;
  return DEVICE_MODELS.get(DEFAULT_DEVICE_MODEL)!;
}

/**
 * A profile with what the device answered: a codec it says it plays is added, one it
 * says it does not play is taken away (the table is a floor, the device knows best).
 */
export function refineProfile(profile: DeviceProfile, reported: ReportedSupport): DeviceProfile {
  const containers = new Set(profile.containers);
  const audio = new Set(profile.audio);
  let video = [...profile.video];
  for (const query of SUPPORT_QUERIES) {
    const answer = reported[query.type];
    if (answer === undefined) continue;
    const adds = query.adds;
    if ('container' in adds) toggle(containers, adds.container, answer);
    else if ('audio' in adds) toggle(audio, adds.audio, answer);
    else if (answer) video.push(adds.video);
    else video = withoutVideo(video, adds.video);
  }
  if (!profile.screen) video = [];
  return { ...profile, containers: [...containers], audio: [...audio], video };
}

/**
 * A browser's profile (a browser target, the web page), from its answers alone; one
 * that did not answer is taken as the most limited Chromecast.
 */
export function browserProfile(name: string, reported: ReportedSupport | undefined, override: DeviceOverride = {}): DeviceProfile {
  if (!reported) return { ...modelProfile(DEVICE_MODELS.get(DEFAULT_DEVICE_MODEL)!, override), name };
  const empty: DeviceProfile = { name, screen: true, containers: [], video: [], audio: ['pcm_s16le', 'pcm_s24le', 'pcm_u8'], maxAudioChannels: override.maxAudioChannels ?? 2, hdr: [], maxVideoBitrate: override.maxVideoBitrate ?? 40_000_000 };
  const refined = refineProfile(empty, reported);
  // An mp3 or flac file is its own container; WAV and Ogg play in every browser that plays their codecs.
  return { ...refined, containers: [...refined.containers, 'mp3', 'flac', 'wav', 'ogg'] };
}

/**
 * The video supports left when a device says it does not play `refused`: the codec's
 * first (plainest) question refused takes the codec away; a later one takes away only
 * what it adds over the first (10-bit, or the higher level and 4K).
 */
function withoutVideo(video: readonly VideoSupport[], refused: VideoSupport): VideoSupport[] {
  const plainest = SUPPORT_QUERIES.find((query) => 'video' in query.adds && query.adds.video.codec === refused.codec)!.adds as { video: VideoSupport };
  if (plainest.video === refused) return video.filter((support) => support.codec !== refused.codec);
  return video.map((support) => {
    if (support.codec !== refused.codec) return support;
    if (refused.maxBitDepth > plainest.video.maxBitDepth) return { ...support, maxBitDepth: 8, ...(support.profiles && { profiles: support.profiles.filter((name) => !/10|Profile 2/.test(name)) }) };
    const level = plainest.video.maxLevel;
    return { ...support, ...(level !== undefined && { maxLevel: Math.min(support.maxLevel ?? level, level) }), modes: plainest.video.modes };
  });
}

function toggle(set: Set<string>, value: string, on: boolean): void {
  if (on) set.add(value);
  else set.delete(value);
}
