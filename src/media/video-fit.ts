// Whether a video stream fits what a device decodes, and the H.264 a conversion makes
// for it: the device's level, its largest frame size no larger than the source's, and
// a bitrate for that size.
import type { VideoStreamInfo } from '../library/media-info.ts';
import type { VideoSupport } from './device-models.ts';
import { bitrateForHeight, type DeviceProfile } from './device-profile.ts';

/** The H.264 a conversion makes. */
export interface VideoEncode {
  readonly codec: 'h264';
  /** Even numbers, the source's aspect kept. */
  readonly width: number;
  readonly height: number;
  /** A cap on the frame rate; absent: the source's. */
  readonly maxFps?: number;
  /** As specs write it: 4.1, 4.2. */
  readonly level: number;
  /** Bits per second. */
  readonly bitrate: number;
}

/**
 * What about `stream` `support` does not reach (`profile Main 10`, `level 5.1`,
 * `10-bit`, `3840x2160 at 24 fps`); undefined when it reaches all of it.
 */
export function videoFits(support: VideoSupport, stream: VideoStreamInfo): string | undefined {
  if (support.profiles && stream.profile !== undefined && !support.profiles.includes(stream.profile)) return `profile ${stream.profile}`;
  if (support.maxLevel !== undefined && stream.level !== undefined && stream.level > support.maxLevel + 1e-9) return `level ${stream.level}`;
  const depth = stream.bitDepth ?? 8;
  if (depth > support.maxBitDepth) return `${depth}-bit`;
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  const fps = stream.frameRate ?? 0;
  // Portrait video fits a mode turned on its side: decoders limit pixels, not orientation.
  const fits = support.modes.some((mode) => Math.max(width, height) <= Math.max(mode.width, mode.height) && Math.min(width, height) <= Math.min(mode.width, mode.height) && fps <= mode.fps + 0.5);
  return fits ? undefined : `${width}x${height} at ${Math.round(fps)} fps`;
}

/**
 * The H.264 `device` plays best that is no larger than `stream`: of its H.264 modes the
 * one that shows the most pixels at up to 30 frames a second (1080p30 rather than 720p60,
 * for films and sport alike), then the higher rate; undefined for a device with no H.264.
 */
export function videoEncodeFor(stream: VideoStreamInfo, device: DeviceProfile): VideoEncode | undefined {
  const h264 = device.video.filter((support) => support.codec === 'h264');
  if (h264.length === 0) return undefined;
  const sourceWidth = stream.width ?? 1920;
  const sourceHeight = stream.height ?? 1080;
  const fps = stream.frameRate ?? 30;
  let best: { width: number; height: number; fps: number; level: number } | undefined;
  for (const support of h264) {
    for (const mode of support.modes) {
      const scale = Math.min(1, mode.width / Math.max(sourceWidth, sourceHeight), mode.height / Math.min(sourceWidth, sourceHeight));
      const width = even(sourceWidth * scale);
      const height = even(sourceHeight * scale);
      const modeFps = Math.min(fps, mode.fps);
      const better = !best || width * height * Math.min(modeFps, 30) > best.width * best.height * Math.min(best.fps, 30) || (width * height === best.width * best.height && modeFps > best.fps);
      if (better) best = { width, height, fps: modeFps, level: support.maxLevel ?? 4.1 };
    }
  }
  const chosen = best!;
  const bitrate = Math.min(bitrateForHeight(Math.min(chosen.width, chosen.height)), device.maxVideoBitrate);
  return { codec: 'h264', width: chosen.width, height: chosen.height, ...(chosen.fps + 0.5 < fps && { maxFps: chosen.fps }), level: Math.min(chosen.level, levelFor(chosen.width, chosen.height, chosen.fps)), bitrate };
}

// H.264 levels (ITU-T H.264 table A-1): macroblocks a second and a frame at most.
const LEVELS: ReadonlyArray<readonly [level: number, perSecond: number, perFrame: number]> = [
  [3, 40_500, 1_620],
  [3.1, 108_000, 3_600],
  [3.2, 216_000, 5_120],
  [4, 245_760, 8_192],
  [4.2, 522_240, 8_704],
  [5, 589_824, 22_080],
  [5.1, 983_040, 36_864],
  [5.2, 2_073_600, 36_864],
];

/** The lowest H.264 level a size and rate need, so a 720p conversion says 3.1 and not the device's 4.2. */
function levelFor(width: number, height: number, fps: number): number {
  const perFrame = Math.ceil(width / 16) * Math.ceil(height / 16);
  return LEVELS.find(([, perSecond, frame]) => perFrame <= frame && perFrame * fps <= perSecond)?.[0] ?? 5.2;
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
