import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem, SubtitleTrack } from '../library/model.ts';
import type { Logger } from '../logger.ts';
import type { Grants } from './auth.ts';
import type { OpenFiles } from './open-files.ts';
import type { RangeLimits } from './range.ts';

/** What every route handler of the media server shares. */
export interface RouteContext {
  readonly library: MediaLibrary;
  readonly grants: Grants;
  readonly token: string;
  readonly openFiles: OpenFiles;
  readonly logger: Logger;
  readonly rangeLimits: RangeLimits;
  /** Signed absolute URL of a media item. */
  mediaUrl(item: MediaItem): string;
  /** Signed absolute URL of a subtitle track, as WebVTT. */
  subtitleUrl(track: SubtitleTrack): string;
}
