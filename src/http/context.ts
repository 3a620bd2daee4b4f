import type { MediaLibrary } from '../library/library.ts';
import type { Logger } from '../logger.ts';
import type { SignedMedia } from '../media/signed-media.ts';
import type { Grants } from '../signing.ts';
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
  /** Signs the URLs that listings hand out. */
  readonly signedMedia: SignedMedia;
}
