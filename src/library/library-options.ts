import type { Logger } from '../logger.ts';
import type { MediaRootConfig } from './model.ts';

/** Options of {@link MediaLibrary}. */
export interface MediaLibraryOptions {
  /** The folders to serve, each with a display name. */
  readonly roots: readonly MediaRootConfig[];
  /** Key for ids (the install's signing key): ids cannot be guessed from paths. */
  readonly key?: Buffer;
  readonly logger?: Logger;
  /** Watch folders for changes (inotify). Default `true`. */
  readonly watch?: boolean;
  /**
   * Full rescan interval in ms, the fallback for network mounts where watching
   * sees nothing. Default 5 minutes; `0` turns it off.
   */
  readonly rescanInterval?: number;
  /** Wait this long after a change before rescanning, to batch a copy. Default 250 ms. */
  readonly debounce?: number;
  /**
   * Folder for the persistent index (`nascast-library.db`): a restart lists the
   * library at once and checks it against the disk in the background. Without it
   * (and without `indexFile`) the library lives in memory only.
   */
  readonly storage?: string;
  /** The index file itself, instead of the one in `storage`. */
  readonly indexFile?: string;
  /**
   * Probe every media file once with ffprobe, in the background (durations, codecs,
   * tracks, tags). Default `true`; without ffprobe installed it warns once and the
   * library keeps names and sizes.
   */
  readonly probe?: boolean;
  /** ffprobe's path. Default `ffprobe` from `PATH`. */
  readonly ffprobePath?: string;
  /** ffprobe processes at once. Default half the CPUs, 1 to 4. */
  readonly probeConcurrency?: number;
}

/** Emitted as `updated` after a scan changed the library. */
export interface LibraryUpdate {
  /** Virtual path of the folder that was rescanned. */
  readonly path: string;
}

/** Events of {@link MediaLibrary}. */
export interface MediaLibraryEvents {
  /** A folder was rescanned after a change on disk (or by the periodic rescan). */
  updated: [LibraryUpdate];
}
