// A plan as it travels in a stream URL (`/stream/<item>/<key>/…`): short, URL-safe,
// signed with the item by the URL's grant, and read back strictly (a key that is not
// one we made is refused, grant or not).
import type { PlaybackPlan } from './playback-plan.ts';

/** The plan's key: what ffmpeg is told, without the reasons. */
export function planKey(plan: PlaybackPlan): string {
  const { video, audio, burnSubtitle, mode } = plan;
  const compact = [
    mode,
    video ? [video.stream, video.codec, video.encode ? [video.encode.width, video.encode.height, video.encode.level, video.encode.bitrate, video.encode.maxFps ?? 0] : 0] : 0,
    audio ? [audio.stream, audio.encode ? [audio.encode.channels, audio.encode.bitrate] : 0] : 0,
    burnSubtitle ?? -1,
  ];
  return Buffer.from(JSON.stringify(compact)).toString('base64url');
}

const MODES = new Set(['remux', 'audio', 'video']);
const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < 64;
const isWithin = (value: unknown, low: number, high: number): value is number => typeof value === 'number' && Number.isFinite(value) && value >= low && value <= high;

/** The plan a key stands for (reasons empty); undefined for anything that is not a key {@link planKey} makes. */
export function planOfKey(key: string): PlaybackPlan | undefined {
  if (key.length > 200 || !/^[\w-]+$/.test(key)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [mode, video, audio, burn] = parsed as unknown[];
  if (typeof mode !== 'string' || !MODES.has(mode)) return undefined;
  const plan: { -readonly [K in keyof PlaybackPlan]: PlaybackPlan[K] } = { mode: mode as PlaybackPlan['mode'], reasons: [] };
  if (video !== 0) {
    if (!Array.isArray(video) || video.length !== 3 || !isIndex(video[0]) || typeof video[1] !== 'string' || !/^\w{1,16}$/.test(video[1])) return undefined;
    const encode = video[2] as unknown;
    if (encode === 0) plan.video = { stream: video[0], codec: video[1] };
    else {
      if (!Array.isArray(encode) || encode.length !== 5) return undefined;
      const [width, height, level, bitrate, maxFps] = encode as unknown[];
      if (!isWithin(width, 2, 7680) || !isWithin(height, 2, 4320) || !isWithin(level, 1, 6.2) || !isWithin(bitrate, 100_000, 100_000_000) || !isWithin(maxFps, 0, 240)) return undefined;
      plan.video = { stream: video[0], codec: video[1], encode: { codec: 'h264', width, height, level, bitrate, ...(maxFps > 0 && { maxFps }) } };
    }
  }
  if (audio !== 0) {
    if (!Array.isArray(audio) || audio.length !== 2 || !isIndex(audio[0])) return undefined;
    const encode = audio[1] as unknown;
    if (encode === 0) plan.audio = { stream: audio[0] };
    else {
      if (!Array.isArray(encode) || encode.length !== 2 || !isWithin(encode[0], 1, 8) || !isWithin(encode[1], 32_000, 640_000)) return undefined;
      plan.audio = { stream: audio[0], encode: { codec: 'aac', channels: encode[0], bitrate: encode[1] } };
    }
  }
  if (burn !== -1) {
    if (!isIndex(burn)) return undefined;
    plan.burnSubtitle = burn;
  }
  if (!plan.video && !plan.audio) return undefined;
  return plan;
}
