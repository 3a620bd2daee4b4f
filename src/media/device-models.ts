// What each Cast device model decodes, from Google's "Supported Media for Google Cast"
// (https://developers.google.com/cast/docs/media, rows quoted in the comments). The
// simulator plays by it, and the per-device decision (what to convert) reads it.
//
// Where the page is silent we say what we assume, in one place:
// - audio codecs are listed only for the audio devices; the video devices run the same
//   media pipeline, so they get the same list (AC3/E-AC3 are not on it: no passthrough);
// - channel counts are not given: the listed codecs are decoded and mixed down;
// - MKV/Matroska is not a listed container anywhere.

/** A video codec a model decodes, and how far. */
export interface VideoSupport {
  readonly codec: 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1';
  /** Profiles as ffprobe names them (`High`, `Main 10`, `Profile 2`); absent: any. */
  readonly profiles?: readonly string[];
  /** The highest level, as a number (4.1, 5.1); absent: not limited by the table. */
  readonly maxLevel?: number;
  /** Frame sizes and rates it reaches: any one of them (`720p/60fps or 1080p/30fps`). */
  readonly modes: ReadonlyArray<{ readonly width: number; readonly height: number; readonly fps: number }>;
  /** 10 for the 10-bit profiles (HEVC Main 10, VP9 Profile 2), else 8. */
  readonly maxBitDepth: 8 | 10;
}

/** One Cast device model: what it shows itself as, and what it plays. */
export interface DeviceModel {
  readonly id: DeviceModelId;
  /** As Google's page and the Home app name it. */
  readonly name: string;
  /** The mDNS TXT `md` and eureka_info `model_name`. */
  readonly modelName: string;
  /** `video` has a screen; `audio` devices and groups play sound only. */
  readonly castType: 'video' | 'audio' | 'group';
  /** Containers, as ffprobe's `format_name` parts (`mov,mp4,…` → `mp4`). */
  readonly containers: readonly string[];
  readonly video: readonly VideoSupport[];
  /** Audio codecs, as ffprobe's `codec_name`. */
  readonly audio: readonly string[];
  /** HDR formats it shows (`HDR10`, `Dolby Vision`). */
  readonly hdr: readonly string[];
  /** The TXT `ca` capability bits a device of this kind sends. */
  readonly capabilities: number;
}

export type DeviceModelId = 'chromecast-1st-2nd-gen' | 'chromecast-3rd-gen' | 'chromecast-ultra' | 'chromecast-google-tv' | 'google-tv-streamer' | 'nest-hub' | 'nest-hub-max' | 'audio' | 'group';

/** The model a simulator is and a device is assumed to be when nothing says: the most limited still common. */
export const DEFAULT_DEVICE_MODEL: DeviceModelId = 'chromecast-3rd-gen';

// "Media container formats: MP2T, MP3, MP4, OGG, WAV, WebM" (ffprobe: mpegts, mp3, mov/mp4, ogg, wav, matroska/webm → webm).
const CONTAINERS = ['mpegts', 'mp3', 'mp4', 'ogg', 'wav', 'webm'];
// "FLAC (up to 96kHz/24-bit), HE-AAC, LC-AAC, MP3, Opus, Vorbis, WAV (LPCM), WebM".
const AUDIO = ['aac', 'mp3', 'opus', 'vorbis', 'flac', 'pcm_s16le', 'pcm_s24le', 'pcm_u8'];
const mode = (width: number, height: number, fps: number) => ({ width, height, fps });
const H720p60_1080p30 = [mode(1280, 720, 60), mode(1920, 1080, 30)];
const K4p60 = [mode(3840, 2160, 60)];
// ca bits (openscreen receiver_info.h): 1 video out, 4 audio out; real Chromecasts send 4101 (0x1005).
const VIDEO_CA = 4101;
const AUDIO_CA = 4100;

const table: readonly DeviceModel[] = [
  // "H.264 High Profile up to level 4.1 (720p/60fps or 1080p/30fps)", "VP8 (720p/60fps or 1080p/30fps)"
  { id: 'chromecast-1st-2nd-gen', name: 'Chromecast (1st and 2nd generation)', modelName: 'Chromecast', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 4.1, modes: H720p60_1080p30, maxBitDepth: 8 }, { codec: 'vp8', modes: H720p60_1080p30, maxBitDepth: 8 }] },
  // "H.264 High Profile up to level 4.2 (1080p/60fps)", "VP8 (720p/60fps or 1080p/30fps)"
  { id: 'chromecast-3rd-gen', name: 'Chromecast (3rd generation)', modelName: 'Chromecast', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 4.2, modes: [mode(1920, 1080, 60)], maxBitDepth: 8 }, { codec: 'vp8', modes: H720p60_1080p30, maxBitDepth: 8 }] },
  // + "HEVC / H.265 Main and Main10 Profiles up to level 5.1 (4K/60fps)", "VP9 Profile 0 and Profile 2 up to level 5.1 (4K/60fps)", "VP8 (4K/30fps)", HDR: Dolby Vision, HDR10
  { id: 'chromecast-ultra', name: 'Chromecast Ultra', modelName: 'Chromecast Ultra', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: ['HDR10', 'Dolby Vision'], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 4.2, modes: [mode(1920, 1080, 60)], maxBitDepth: 8 }, { codec: 'vp8', modes: [mode(3840, 2160, 30)], maxBitDepth: 8 }, { codec: 'hevc', profiles: ['Main', 'Main 10'], maxLevel: 5.1, modes: K4p60, maxBitDepth: 10 }, { codec: 'vp9', profiles: ['Profile 0', 'Profile 2'], maxLevel: 5.1, modes: K4p60, maxBitDepth: 10 }] },
  // (Its TXT `md` is not documented; it calls itself a Chromecast, as the others do.)
  // "H.264 High Profile up to level 5.1 (4Kx2K/30fps)", "HEVC … Main and Main10 … level 5.1 (4Kx2K@60fps)", "VP9 Profile-2 up to 4Kx2K@60fps"
  { id: 'chromecast-google-tv', name: 'Chromecast with Google TV', modelName: 'Chromecast', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 5.1, modes: [mode(3840, 2160, 30)], maxBitDepth: 8 }, { codec: 'hevc', profiles: ['Main', 'Main 10'], maxLevel: 5.1, modes: K4p60, maxBitDepth: 10 }, { codec: 'vp9', profiles: ['Profile 0', 'Profile 2'], modes: K4p60, maxBitDepth: 10 }] },
  // "H.264 High Profile up to level 5.2 (4Kx2K/60fps)", HEVC as above, "VP9 Profile-2 …", "AV1 Main profile up to level 5.1 (4Kx2K@60fps)"
  { id: 'google-tv-streamer', name: 'Google TV Streamer', modelName: 'Google TV Streamer', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 5.2, modes: K4p60, maxBitDepth: 8 }, { codec: 'hevc', profiles: ['Main', 'Main 10'], maxLevel: 5.1, modes: K4p60, maxBitDepth: 10 }, { codec: 'vp9', profiles: ['Profile 0', 'Profile 2'], modes: K4p60, maxBitDepth: 10 }, { codec: 'av1', profiles: ['Main'], maxLevel: 5.1, modes: K4p60, maxBitDepth: 10 }] },
  // "H.264 High Profile up to level 4.1 (720p/60fps)", "VP9 up to level 4.0 (720p/60fps)"
  { id: 'nest-hub', name: 'Google Nest Hub', modelName: 'Google Nest Hub', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 4.1, modes: [mode(1280, 720, 60)], maxBitDepth: 8 }, { codec: 'vp9', profiles: ['Profile 0'], maxLevel: 4.0, modes: [mode(1280, 720, 60)], maxBitDepth: 8 }] },
  // "H.264 High Profile up to level 4.1 (720p/30fps)", "VP9 up to level 4.0 (720p/30fps)"
  { id: 'nest-hub-max', name: 'Google Nest Hub Max', modelName: 'Google Nest Hub Max', castType: 'video', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: VIDEO_CA, video: [{ codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'], maxLevel: 4.1, modes: [mode(1280, 720, 30)], maxBitDepth: 8 }, { codec: 'vp9', profiles: ['Profile 0'], maxLevel: 4.0, modes: [mode(1280, 720, 30)], maxBitDepth: 8 }] },
  // "Chromecast Audio, Google Home, and Google Home Mini support …": sound only.
  { id: 'audio', name: 'Google Home (audio)', modelName: 'Google Home', castType: 'audio', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: AUDIO_CA, video: [] },
  // A speaker group plays what its members do: sound only.
  { id: 'group', name: 'Cast speaker group', modelName: 'Google Cast Group', castType: 'group', containers: CONTAINERS, audio: AUDIO, hdr: [], capabilities: AUDIO_CA, video: [] },
];

/** Every model, by id. */
export const DEVICE_MODELS: ReadonlyMap<DeviceModelId, DeviceModel> = new Map(table.map((model) => [model.id, model]));

/** The model of `id`; undefined for an id not in the table. */
export function deviceModel(id: string): DeviceModel | undefined {
  return DEVICE_MODELS.get(id as DeviceModelId);
}
