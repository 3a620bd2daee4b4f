import path from 'node:path';
import { displayName } from './disk-names.ts';
import type { MediaKind, SubtitleFormat } from './media-types.ts';
import { stemOf } from './subtitle-names.ts';

/** A configured media root: a NAS folder and the name people see for it. */
export interface MediaRootConfig {
  /** Display name, e.g. `Films`. Unique; no `/`. */
  readonly name: string;
  /** Absolute path of the folder on this machine. */
  readonly path: string;
}

const NO_SUBTITLES: readonly SubtitleTrack[] = Object.freeze([]);

// Names on disk that are not UTF-8, by file: a side table, so the common file pays nothing for them.
const diskNames = new WeakMap<MediaItem | SubtitleTrack, string>();

/**
 * A folder of the library. Folders act as playlists: `items` are in natural order.
 * Paths are virtual: `<root name>/<sub>/<sub>`, never the path on disk.
 */
export class MediaFolder {
  /** Subfolders, in natural order. */
  folders: MediaFolder[] = [];
  /** Media files directly in this folder, in natural order. */
  items: MediaItem[] = [];

  /** The root this folder belongs to. */
  readonly root: MediaRootConfig;
  /**
   * Path inside the root, with `/` separators; `''` for the root itself. Lossless: a
   * byte of a name that is not UTF-8 is kept as U+DC80–U+DCFF (see `fromDiskBytes`).
   */
  readonly relativePath: string;
  /** Folder name (the root's display name for a root), with U+FFFD for bytes that are not UTF-8. */
  readonly name: string;
  /** Whether the folder could be read at the last scan. */
  readonly available: boolean;

  constructor(root: MediaRootConfig, relativePath: string, name: string, available = true) {
    this.root = root;
    this.relativePath = relativePath;
    this.name = name;
    this.available = available;
  }

  /** The virtual path used by the API: `<root name>[/<relative path>]`. */
  get path(): string {
    return this.relativePath === '' ? this.root.name : `${this.root.name}/${displayName(this.relativePath)}`;
  }

  /** The folder's absolute path on disk, lossless like `relativePath` (open it through `fsPath`). */
  get absolutePath(): string {
    return path.join(this.root.path, this.relativePath);
  }
}

/** A media file: a video, a song or a picture. */
export class MediaItem {
  /** Subtitle tracks found beside a video, ordered by language. */
  subtitles: readonly SubtitleTrack[] = NO_SUBTITLES;

  /** Stable opaque id (see `mediaId`). */
  readonly id: string;
  /** File name, with its extension; U+FFFD for bytes that are not UTF-8 (see `diskName`). */
  readonly name: string;
  readonly kind: MediaKind;
  readonly mime: string;
  /** Size in bytes at the last scan. */
  readonly size: number;
  /** Modification time at the last scan, in ms since the epoch. */
  readonly modified: number;
  /** The folder that holds it. */
  readonly folder: MediaFolder;

  constructor(id: string, name: string, kind: MediaKind, mime: string, size: number, modified: number, folder: MediaFolder, diskName = name) {
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.mime = mime;
    this.size = size;
    this.modified = modified;
    this.folder = folder;
    if (diskName !== name) diskNames.set(this, diskName);
  }

  /** The name on disk, lossless (see `MediaFolder.relativePath`); `name` unless it is not UTF-8. */
  get diskName(): string {
    return diskNames.get(this) ?? this.name;
  }

  /** The name without its extension, for display. */
  get title(): string {
    return stemOf(this.name);
  }

  /** The virtual path: `<folder path>/<name>`. */
  get path(): string {
    return `${this.folder.path}/${this.name}`;
  }

  /** The absolute path on disk, lossless (open it through `fsPath`). */
  get absolutePath(): string {
    return path.join(this.folder.absolutePath, this.diskName);
  }
}

/** A subtitle file attached to a video. */
export class SubtitleTrack {
  readonly id: string;
  readonly name: string;
  /** BCP 47-ish language from the file name (`en`, `pt-BR`), if it has one. */
  readonly lang: string | undefined;
  readonly format: SubtitleFormat;
  readonly folder: MediaFolder;

  constructor(id: string, name: string, lang: string | undefined, format: SubtitleFormat, folder: MediaFolder, diskName = name) {
    this.id = id;
    this.name = name;
    this.lang = lang;
    this.format = format;
    this.folder = folder;
    if (diskName !== name) diskNames.set(this, diskName);
  }

  /** The name on disk, lossless; `name` unless it is not UTF-8. */
  get diskName(): string {
    return diskNames.get(this) ?? this.name;
  }

  /** The absolute path on disk, lossless (open it through `fsPath`). */
  get absolutePath(): string {
    return path.join(this.folder.absolutePath, this.diskName);
  }
}
