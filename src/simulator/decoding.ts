import type { DeviceModel, VideoSupport } from '../media/device-models.ts';
import type { Probed, ProbedStream } from './ffprobe.ts';

/** What the device shows and plays of a loaded item, and why it leaves something out. */
export interface Rendering {
  video: boolean;
  audio: boolean;
  /** One line per stream left out (`video: hevc Main 10 … is not decoded by …`). */
  reasons: string[];
}

// Image formats as ffprobe names them: the DMR shows a picture for these.
const IMAGE_FORMATS = new Set(['png_pipe', 'jpeg_pipe', 'gif', 'webp_pipe', 'bmp_pipe', 'image2']);

/**
 * The container a file is in, as the model table names containers. ffprobe calls
 * WebM and Matroska both `matroska,webm`: the EBML DocType in the file's first bytes
 * tells them apart, as Chrome's demuxer does.
 */
export function containerOf(formatName: string, head: Buffer): string {
  const parts = formatName.split(',');
  if (parts.includes('matroska')) return head.subarray(0, 64).includes('webm') ? 'webm' : 'matroska';
  if (parts.includes('mp4') || parts.includes('mov')) return 'mp4';
  return parts[0] ?? formatName;
}

/**
 * What `model` makes of a probed file: which of its first video and first audio
 * stream it decodes (Chrome's player takes the first of each), by Google's table.
 * A video stream it does not decode leaves sound only, an audio stream it does
 * not decode leaves a silent picture; neither is a failed load. Audio devices and
 * groups have no screen: sound only.
 */
export function renderingOf(model: DeviceModel, probed: Probed, head: Buffer): Rendering | { failed: string } {
  const formatName = probed.format?.format_name ?? '';
  const streams = probed.streams ?? [];
  if (IMAGE_FORMATS.has(formatName)) {
    return model.castType === 'video' ? { video: true, audio: false, reasons: [] } : { failed: `${model.name} has no screen to show a picture on` };
  }
  const container = containerOf(formatName, head);
  // Raw audio of a listed codec (a .flac, an ADTS .aac) plays: Google lists the codec, so its bare stream.
  const rawAudio = streams.length === 1 && streams[0]?.codec_name === container && model.audio.includes(container);
  if (!model.containers.includes(container) && !rawAudio) return { failed: `${model.name} does not play the ${container} container` };
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const reasons: string[] = [];
  const videoWhy = video ? videoRefusal(model, video) : undefined;
  const audioWhy = audio && !model.audio.includes(audio.codec_name ?? '') ? `audio: ${audio.codec_name ?? 'an unknown codec'} is not decoded by ${model.name}` : undefined;
  if (videoWhy) reasons.push(`video: ${videoWhy}`);
  if (audioWhy) reasons.push(audioWhy);
  const rendering = { video: video !== undefined && videoWhy === undefined, audio: audio !== undefined && audioWhy === undefined, reasons };
  if (!rendering.video && !rendering.audio) return { failed: reasons.join('; ') || 'no audio or video stream' };
  return rendering;
}

/** Why `model` does not decode this video stream; undefined when it does. */
function videoRefusal(model: DeviceModel, stream: ProbedStream): string | undefined {
  const codec = stream.codec_name ?? 'an unknown codec';
  const what = [codec, stream.profile, stream.width && stream.height ? `${stream.width}x${stream.height}` : undefined].filter(Boolean).join(' ');
  if (model.castType !== 'video') return `${model.name} has no screen`;
  const supports = model.video.filter((support) => support.codec === codec);
  if (supports.length === 0) return `${codec} is not decoded by ${model.name}`;
  const failures = supports.map((support) => beyond(support, stream));
  if (failures.includes(undefined)) return undefined;
  return `${what}: ${failures[0]!}, beyond ${model.name}`;
}

/** What about the stream `support` does not reach; undefined when it reaches all. */
function beyond(support: VideoSupport, stream: ProbedStream): string | undefined {
  if (support.profiles && !support.profiles.includes(stream.profile ?? '')) return `profile ${stream.profile ?? 'unknown'}`;
  const level = levelOf(support.codec, stream.level);
  if (support.maxLevel !== undefined && level !== undefined && level > support.maxLevel + 1e-9) return `level ${level}`;
  if (bitDepthOf(stream) > support.maxBitDepth) return `${bitDepthOf(stream)}-bit`;
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  const fps = frameRateOf(stream);
  // Portrait video fits a mode turned on its side: the decoder's limit is pixels, not orientation.
  const fits = support.modes.some((mode) => Math.max(width, height) <= Math.max(mode.width, mode.height) && Math.min(width, height) <= Math.min(mode.width, mode.height) && fps <= mode.fps + 0.5);
  return fits ? undefined : `${width}x${height} at ${Math.round(fps)} fps`;
}

/** ffprobe's level as the table writes it: H.264 41 → 4.1, HEVC 153 (level × 30) → 5.1, AV1 13 → 5.1; unknown (VP9's -99) is undefined. */
function levelOf(codec: VideoSupport['codec'], level: number | undefined): number | undefined {
  if (level === undefined || level < 0) return undefined;
  if (codec === 'h264' || codec === 'vp9') return level / 10;
  if (codec === 'hevc') return level / 30;
  if (codec === 'av1') return 2 + (level >> 2) + (level & 3) / 10;
  return undefined;
}

function bitDepthOf(stream: ProbedStream): number {
  const fromFormat = /p(\d+)(le|be)$/.exec(stream.pix_fmt ?? '');
  return fromFormat ? Number(fromFormat[1]) : Number(stream.bits_per_raw_sample ?? 8) || 8;
}

function frameRateOf(stream: ProbedStream): number {
  for (const rate of [stream.avg_frame_rate, stream.r_frame_rate]) {
    const [num, den] = (rate ?? '').split('/').map(Number);
    if (num && den) return num / den;
  }
  return 0;
}
