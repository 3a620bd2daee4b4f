import { ControlError } from '../errors.ts';
import type { MediaInfo } from '../library/media-info.ts';
import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem } from '../library/model.ts';
import type { PlaybackPlan } from '../media/playback-plan.ts';
import type { PlaybackTarget } from '../media/signed-media.ts';
import { findItem } from '../media/resolve.ts';
import type { PlayerDirectory } from './directory.ts';

/** What is done to a file for one device, and why. */
export interface DeviceDecision {
  /** The device's id and name. */
  readonly device: string;
  readonly name: string;
  /** What NasCast takes it to be (`Chromecast (3rd generation)`), from its model, its answer and the config. */
  readonly profile: string;
  readonly mode: PlaybackPlan['mode'];
  readonly reasons: readonly string[];
}

/** `explain`'s answer: the file as probed, and the decision for each device asked about. */
export interface Explanation {
  readonly id: string;
  readonly name: string;
  readonly kind: MediaItem['kind'];
  /** What the prober found; `null` before it has read the file (or without ffprobe). */
  readonly media: MediaInfo | null;
  readonly decisions: readonly DeviceDecision[];
}

/** What explaining needs of the media side. */
export interface ExplainMedia {
  readonly library: MediaLibrary;
  /** `info`: what the prober found, when the caller has it already. */
  plan(item: MediaItem, target: PlaybackTarget, info?: MediaInfo): PlaybackPlan;
  readonly audioLanguage?: string;
}

/**
 * What would be done to `media` (an id or library path of a file) on `device`, or on
 * every device found that is online when none is named, and why: played as it is,
 * repackaged, or converted. Throws `ControlError` `UNKNOWN_MEDIA` / `UNKNOWN_DEVICE`.
 */
export function explain(source: ExplainMedia, directory: PlayerDirectory, media: string, options: { device?: string; audio?: string; subtitles?: string } = {}): Explanation {
  const item = findItem(source.library, media);
  if (!item) throw new ControlError('UNKNOWN_MEDIA', `no media file '${media}' in the library`);
  const devices = directory.devices().filter((summary) => (options.device === undefined ? summary.online : summary.id === options.device || summary.name.toLowerCase() === options.device.toLowerCase()));
  if (options.device !== undefined && devices.length === 0) throw new ControlError('UNKNOWN_DEVICE', `no device named '${options.device}'`);
  const audio = options.audio ?? source.audioLanguage;
  const info = source.library.details(item).info;
  const decisions = devices.map((summary) => {
    const profile = directory.profile(summary.id);
    const plan = source.plan(item, { profile, ...(audio && { audio }), ...(options.subtitles && { subtitles: options.subtitles }) }, info);
    return { device: summary.id, name: summary.name, profile: profile.name, mode: plan.mode, reasons: plan.reasons };
  });
  return { id: item.id, name: item.name, kind: item.kind, media: info ?? null, decisions };
}
