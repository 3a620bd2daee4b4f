// Where a stream's segments start, fixed before the first one is made, so the playlist
// holds the whole duration from the start and a seek anywhere asks for a segment the
// server can make at once.

/** Seconds a segment aims at. Short enough that the first one is made fast, long enough that a film is not thousands of requests. */
export const SEGMENT_SECONDS = 4;

/** The segments of a stream: `starts[i]` is where segment `i` starts, in seconds from the file's start. */
export interface SegmentPlan {
  readonly starts: readonly number[];
  readonly duration: number;
  /**
   * For a remux, the keyframe each segment starts at, which the copy must start from;
   * for a conversion the grid is the starts, made keyframes by the encoder.
   */
  readonly keyframes: boolean;
}

/** Segment `index`'s length in seconds. */
export function segmentLength(plan: SegmentPlan, index: number): number {
  const end = plan.starts[index + 1] ?? plan.duration;
  return Math.max(0, end - plan.starts[index]!);
}

/** The segment that holds `seconds`. */
export function segmentAt(plan: SegmentPlan, seconds: number): number {
  let low = 0;
  let high = plan.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (plan.starts[middle]! <= seconds) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * A grid of `seconds`: for conversions, whose encoder makes a keyframe at each start. A
 * tail shorter than half a segment joins the last one: past the last frame (a film's
 * audio runs a few ms longer than its picture) no fragment may start there, and a segment
 * that cannot be made fails the player (seen: a 30.02 s file's 20 ms segment 15).
 */
export function gridPlan(duration: number, seconds = SEGMENT_SECONDS): SegmentPlan {
  const count = Math.max(1, Math.floor(duration / seconds + 0.5));
  return { starts: Array.from({ length: count }, (_, index) => index * seconds), duration, keyframes: false };
}

/**
 * Segments that start at keyframes, for a copy (which can only cut there): a new one at
 * the first keyframe at least {@link SEGMENT_SECONDS} after the last start. The first
 * starts at 0 whatever the first keyframe's time.
 */
export function keyframePlan(keyframes: readonly number[], duration: number, seconds = SEGMENT_SECONDS): SegmentPlan {
  const starts = [0];
  for (const time of keyframes) {
    // Not in the last half segment: the same reason as gridPlan's tail.
    if (time >= starts.at(-1)! + seconds && time < duration - seconds / 2) starts.push(time);
  }
  return { starts, duration, keyframes: true };
}

/**
 * Where to ask ffmpeg to seek so that a copy starts at keyframe `start` (the next
 * keyframe after it at `next`): ffmpeg's command line seeks 3/23 s before what it is
 * asked when the video has B-frames and the container seeks by decode time (MKV), and
 * lands on the keyframe before; asked a little after the keyframe it lands on it.
 */
export function copySeekPoint(start: number, next: number | undefined): number {
  if (start <= 0) return 0;
  const gap = (next ?? start + 1) - start;
  return start + Math.min(0.5, 0.131 + Math.max(0, gap - 0.131) / 2);
}
