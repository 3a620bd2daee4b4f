import { DETAILED_ERROR_CODES as CODES, type DetailedErrorCode } from '../cast/detailed-error-codes.ts';
import type { DeviceModel } from '../media/device-models.ts';
import { containerOf, renderingOf, type Rendering } from './decoding.ts';
import { deviceFetch } from './device-fetch.ts';
import { ffprobe, type Probed } from './ffprobe.ts';
import { probeHls } from './hls-probe.ts';

/** What loading an item on the device comes to: its real length and what it shows, or the code it fails with. */
export type MediaProbe = { ok: true; duration: number | undefined; rendering: Rendering } | { ok: false; code: DetailedErrorCode; why: string };

/** How the Default Media Receiver probes. */
export interface ProbeSettings {
  model: DeviceModel;
  /** ffprobe to run. Default `ffprobe`. */
  ffprobePath: string;
  /** Deadline of each ffprobe run and each fetch's body. */
  timeoutMs: number;
  signal: AbortSignal;
}

// The head a device reads before it knows what it has: enough for the EBML DocType and a
// playlist; an all-zero or text file shows itself within it.
const HEAD_BYTES = 64 << 10;

/** Whether a LOAD is HLS, as CAF decides: by the content type, else by the URL's extension. */
export function isHls(url: string, contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl', 'audio/x-mpegurl'].includes(type)) return true;
  try {
    return new URL(url).pathname.toLowerCase().endsWith('.m3u8');
  } catch {
    return false;
  }
}

/**
 * Probes what a LOAD names as the device would meet it: fetched as its Chrome fetches
 * (see {@link deviceFetch}), read by ffprobe (which reads the body, so a truncated,
 * all-zero or non-media file fails here, not at the headers), and decoded by the model's
 * table. An unreachable, unreadable or undecodable progressive file is 104
 * MEDIA_SRC_NOT_SUPPORTED, the media element's one error for all three; one that starts
 * but logs decode errors is 102 MEDIA_DECODE.
 */
export async function probeMedia(url: string, contentType: string | undefined, settings: ProbeSettings): Promise<MediaProbe> {
  if (isHls(url, contentType)) return probeHls(url, settings);
  return probeFile(url, settings, { unreachable: CODES.MEDIA_SRC_NOT_SUPPORTED, unreadable: CODES.MEDIA_SRC_NOT_SUPPORTED });
}

/**
 * One file (a progressive download, or an HLS segment), with the codes its failures
 * carry. `probe` is a local file ffprobe reads instead (an fMP4 init and first segment
 * as the player joins them).
 */
export async function probeFile(url: string, settings: ProbeSettings, codes: { unreachable: DetailedErrorCode; unreadable: DetailedErrorCode }, probe?: string): Promise<MediaProbe> {
  const fetched = await deviceFetch(url, { maxBytes: HEAD_BYTES, timeoutMs: settings.timeoutMs, signal: settings.signal });
  if (!fetched.ok) return { ok: false, code: codes.unreachable, why: `fetching ${fetched.url}: ${fetched.why}` };
  if (fetched.head.length === 0) return { ok: false, code: codes.unreadable, why: 'the body is empty' };
  // ffprobe reads where the redirects led, the address the device's player reads.
  const run = await ffprobe(settings.ffprobePath, probe ?? fetched.url, { timeoutMs: settings.timeoutMs, signal: settings.signal });
  if (!run.ok) {
    if (run.kind === 'unreadable') return { ok: false, code: codes.unreadable, why: `not media it can read: ${run.errors.join(' / ') || 'ffprobe failed'}` };
    return { ok: false, code: CODES.LOAD_FAILED, why: run.why };
  }
  const rendering = renderingOf(settings.model, run.probed, fetched.head);
  if ('failed' in rendering) return { ok: false, code: codes.unreadable, why: rendering.failed };
  if (run.errors.length > 0) return { ok: false, code: CODES.MEDIA_DECODE, why: `decode errors: ${run.errors.slice(0, 3).join(' / ')}` };
  const missing = missingData(run.probed, fetched.head);
  if (missing) return { ok: false, code: CODES.MEDIA_DECODE, why: missing };
  const duration = Number(run.probed.format?.duration);
  return { ok: true, duration: Number.isFinite(duration) && duration > 0 ? duration : undefined, rendering };
}

/**
 * A fast-start MP4 cut short reads as whole (its index is at the start), so ffprobe
 * says nothing; but the index says how many bytes the samples take (ffprobe's stream
 * `bit_rate` comes from it), and a file smaller than that has lost its end. Its
 * metadata loads and its data does not: 102 MEDIA_DECODE, not a clean end. Other
 * containers carry no such index up front; the check is for MP4 only.
 */
function missingData(probed: Probed, head: Buffer): string | undefined {
  if (containerOf(probed.format?.format_name ?? '', head) !== 'mp4') return undefined;
  const size = Number(probed.format?.size);
  const streams = probed.streams ?? [];
  const samples = streams.reduce((sum, stream) => sum + ((Number(stream.bit_rate) * Number(stream.duration)) / 8 || 0), 0);
  // bit_rate is a whole number of bits a second: up to duration/8 bytes a stream are rounding.
  const rounding = streams.reduce((sum, stream) => sum + (Number(stream.duration) / 8 || 0), 0);
  if (!Number.isFinite(size) || samples - rounding <= size) return undefined;
  return `the file is ${size} bytes, and its index puts ${Math.round(samples)} bytes of samples in it: it is truncated`;
}
