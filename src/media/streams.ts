// The converted streams of library items: what the stream route serves. Opens a
// stream for (item, plan) with its segment plan: keyframe-aligned for a copy, a grid
// for a conversion.
import { ConversionError, PathOutsideRootError } from '../errors.ts';
import { fsPath } from '../library/disk-names.ts';
import type { MediaInfo } from '../library/media-info.ts';
import type { MediaItem } from '../library/model.ts';
import type { ConversionStream } from './conversion-stream.ts';
import { Conversions, type ConversionsOptions } from './conversions.ts';
import { EmbeddedSubtitles } from './embedded-subtitles.ts';
import { KeyframeLists } from './keyframes.ts';
import type { PlaybackPlan } from './playback-plan.ts';
import { gridPlan, keyframePlan, SEGMENT_SECONDS } from './segment-plan.ts';

/** Options of {@link Streams}. */
export interface StreamsOptions extends ConversionsOptions {
  readonly ffprobePath?: string;
  /** What the prober found in an item: its duration and streams. */
  readonly info: (item: MediaItem) => MediaInfo | undefined;
  /**
   * The item's real path, checked to be inside its root when it is opened (`resolveInsideRoot`):
   * a symlink swapped in after the scan must not be streamed. Undefined: outside.
   */
  readonly resolve: (item: MediaItem) => Promise<string | undefined>;
}

/** A film longer than this is not one: a damaged header's duration would make millions of segments. */
const MAX_DURATION = 48 * 3600;

/** Converted streams of library items, by item and plan key. */
export class Streams {
  readonly conversions: Conversions;
  readonly #options: StreamsOptions;
  readonly #keyframes: KeyframeLists;
  readonly #subtitles: EmbeddedSubtitles;

  constructor(options: StreamsOptions) {
    this.#options = options;
    this.conversions = new Conversions(options);
    this.#subtitles = new EmbeddedSubtitles(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath });
    this.#keyframes = new KeyframeLists(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath });
  }

  start(): Promise<void> {
    return this.conversions.start();
  }

  close(): Promise<void> {
    return this.conversions.close();
  }

  /** What the prober found in `item`. */
  info(item: MediaItem): MediaInfo | undefined {
    return this.#options.info(item);
  }

  /**
   * The WebVTT of `item`'s embedded text subtitle stream `stream` (its index in the
   * file); rejects with `ConversionError` for a stream that is not one.
   */
  subtitle(item: MediaItem, stream: number): Promise<Buffer> {
    const streams = (this.#options.info(item)?.subtitles ?? []).filter((entry) => entry.text).map((entry) => entry.index);
    return this.#inside(item).then((file) => this.#subtitles.webVtt(file, item.name, `${item.size}:${item.modified}`, stream, streams));
  }

  /** The file to open, as the media route opens it: only if it is still inside its root. */
  async #inside(item: MediaItem): Promise<string | Buffer> {
    const real = await this.#options.resolve(item).catch(() => undefined);
    if (real === undefined) throw new PathOutsideRootError(`'${item.folder.path}/${item.name}' resolves outside its root, or is gone`);
    return fsPath(real);
  }

  /** The stream of `item` converted by `plan` (`key` is the plan's), opened on first use. */
  open(item: MediaItem, key: string, plan: PlaybackPlan): Promise<ConversionStream> {
    return this.conversions.open(`${item.id}/${key}`, async () => {
      const info = this.#options.info(item);
      const duration = info?.duration;
      if (duration === undefined || !(duration > 0)) throw new ConversionError(item.name, 'its duration is not known yet (it has not been probed): try again in a moment');
      if (duration > MAX_DURATION) throw new ConversionError(item.name, `its header says it lasts ${Math.round(duration / 3600)} hours, which no film does: it is damaged`);
      const file = await this.#inside(item);
      const copying = plan.video !== undefined && plan.video.encode === undefined;
      const keyframes = copying ? await this.#keyframes.of(file, item.name) : [];
      // A video conversion's segments are 2 s: a seek plays once the segment there and the next
      // are encoded, 4 s of 1080p took 1.7 s of libx264 here (bench/conversion.ts), and 2 s half that.
      const segments = copying ? keyframePlan(keyframes, duration) : gridPlan(duration, plan.video?.encode ? 2 : SEGMENT_SECONDS);
      return { file, name: item.name, plan, segments, keyframes };
    });
  }
}
