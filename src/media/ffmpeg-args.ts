// The ffmpeg command line of one run of a stream: from segment N of the plan, to
// fragmented MP4 on its standard output, timestamps kept as the file's (so the
// segments of a run started at a seek line up with those of a run from the start).
// Flags and why: research/issue22-hls.md (each tested on Debian's ffmpeg 5.1).
import type { PlaybackPlan } from './playback-plan.ts';
import { copySeekPoint, type SegmentPlan } from './segment-plan.ts';

/** What the run is asked to make. */
export interface RunRequest {
  readonly plan: PlaybackPlan;
  readonly segments: SegmentPlan;
  /** The video's keyframe times, for where a copy seeks to; empty for a conversion or no video. */
  readonly keyframes: readonly number[];
  /** The segment it starts at. */
  readonly from: number;
  /** The H.264 encoder and its extra arguments (libx264 unless a hardware one works). */
  readonly encoder?: VideoEncoder;
}

/** An H.264 encoder ffmpeg runs: its name, arguments before the input (a device), the filter that uploads frames to it, and its own options. */
export interface VideoEncoder {
  readonly name: string;
  readonly inputArgs: readonly string[];
  /** Appended to the video filter chain (`format=nv12,hwupload`). */
  readonly upload?: string;
  readonly args: readonly string[];
}

/** libx264 at a speed two cores keep ahead of real time at 1080p. */
export const LIBX264: VideoEncoder = { name: 'libx264', inputArgs: [], args: ['-preset', 'veryfast', '-profile:v', 'high', '-x264-params', 'rc-lookahead=10'] };

const FRAGMENTED_MP4 = '+empty_moov+default_base_moof+frag_discont+delay_moov+negative_cts_offsets';

/** The arguments, the input being descriptor 3. */
export function ffmpegArgs(request: RunRequest): string[] {
  const { plan, segments, from } = request;
  const start = segments.starts[from] ?? 0;
  const video = plan.video;
  const encode = video?.encode;
  const copying = video !== undefined && encode === undefined;
  const encoder = request.encoder ?? LIBX264;
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...(encode ? encoder.inputArgs : [])];
  if (copying) {
    const keyframe = request.keyframes.findIndex((time) => time > start + 0.05);
    args.push('-noaccurate_seek', '-ss', seconds(copySeekPoint(start, keyframe < 0 ? undefined : request.keyframes[keyframe])), '-fflags', '+genpts');
  } else if (start > 0) {
    args.push('-ss', seconds(start));
  }
  args.push('-i', '/dev/fd/3', '-copyts', '-start_at_zero', '-avoid_negative_ts', 'disabled', '-max_muxing_queue_size', '2048', '-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn');
  if (video && encode) {
    const filters = [`scale=${encode.width}:${encode.height}`, ...(encode.maxFps ? [`fps=${encode.maxFps}`] : []), 'format=yuv420p', ...(encoder.upload ? [encoder.upload] : [])];
    if (plan.burnSubtitle !== undefined) args.push('-filter_complex', `[0:${video.stream}][0:${plan.burnSubtitle}]overlay=eof_action=pass,${filters.join(',')}[v]`, '-map', '[v]');
    else args.push('-map', `0:${video.stream}`, '-vf', filters.join(','));
    const bitrate = String(encode.bitrate);
    // The level as libx264 takes it; hardware encoders set theirs from the size and rate.
    const level = encoder.name === 'libx264' ? ['-level:v', encode.level.toFixed(1)] : [];
    args.push('-c:v', encoder.name, ...encoder.args, ...level, '-b:v', bitrate, '-maxrate', bitrate, '-bufsize', String(encode.bitrate * 2));
    // A keyframe at every segment start, and only there: t counts from the run's first frame, which is a segment start.
    // A large GOP otherwise, so a segment is one fragment, sent as soon as it is encoded.
    args.push('-force_key_frames:0', `expr:gte(t,n_forced*${segmentSeconds(segments)})`, '-sc_threshold:v:0', '0', '-g', '9999');
  } else if (video) {
    // hvc1, not hev1: the sample entry Chrome's and Apple's players take.
    args.push('-map', `0:${video.stream}`, '-c:v', 'copy', ...(video.codec === 'hevc' ? ['-tag:v', 'hvc1'] : []));
  }
  if (plan.audio) {
    args.push('-map', `0:${plan.audio.stream}`);
    args.push(...(plan.audio.encode ? ['-c:a', 'aac', '-ac', String(plan.audio.encode.channels), '-b:a', String(plan.audio.encode.bitrate)] : ['-c:a', 'copy']));
  }
  // With video, a fragment per keyframe (a segment is whole fragments); sound alone, one a second.
  args.push('-f', 'mp4', ...(video ? ['-movflags', `+frag_keyframe${FRAGMENTED_MP4}`] : ['-movflags', FRAGMENTED_MP4, '-frag_duration', '1000000']));
  return [...args, 'pipe:1'];
}

/** The length a grid plan's segments have. */
function segmentSeconds(segments: SegmentPlan): number {
  return segments.starts.length > 1 ? segments.starts[1]! - segments.starts[0]! : segments.duration;
}

function seconds(value: number): string {
  return value.toFixed(6);
}
