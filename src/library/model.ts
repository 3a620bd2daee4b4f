import path from 'node:path';
import { displayName } from './disk-names.ts';
import type { MediaKind, MediaType, SubtitleFormat } from './media-types.ts';
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
// Subtitle tracks, by video: a side table too, as most items (songs, photos, most videos) have none.
const subtitleTracks = new WeakMap<MediaItem, readonly SubtitleTrack[]>();
// One {kind, mime} record per pair, shared by every item of that type (see MediaItem).
const types = new Map<string, MediaType[]>();

function sharedType(kind: MediaKind, mime: string): MediaType {
  let list = types.get(mime);
  if (!list) types.set(mime, (list = []));
  for (const type of list) if (type.kind === kind) return type; // a loop: no closure per item
  const type = Object.freeze({ kind, mime });
  list.push(type);
  return type;
}

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

/**
 * A media file: a video, a song or a picture.
 *
 * A library holds one per file (100,000 on a big NAS), so it keeps only what differs
 * from file to file in its own slots: `kind` and `mime` come from one record shared by
 * every file of that type, and `subtitles` from a side table. Measured with 100,000
 * files (bench/library.ts): 88 bytes per item before, 72 after.
 */
export class MediaItem {
  /** Stable opaque id (see `mediaId`). */
  readonly id: string;
  /** File name, with its extension; U+FFFD for bytes that are not UTF-8 (see `diskName`). */
  readonly name: string;
  readonly #type: MediaType;
  /** Size in bytes at the last scan. */
  readonly size: number;
  /** Modification time at the last scan, in ms since the epoch. */
  readonly modified: number;
  /** The folder that holds it. */
  readonly folder: MediaFolder;

  constructor(id: string, name: string, kind: MediaKind, mime: string, size: number, modified: number, folder: MediaFolder, diskName = name) {
    this.id = id;
    this.name = name;
    this.#type = sharedType(kind, mime);
    this.size = size;
    this.modified = modified;
    this.folder = folder;
    if (diskName !== name) diskNames.set(this, diskName);
  }

  /** Video, audio or image. */
  get kind(): MediaKind {
    return this.#type.kind;
  }

  /** Its MIME type (`video/mp4`). */
  get mime(): string {
    return this.#type.mime;
  }

  /** Subtitle tracks found beside a video, ordered by language. */
  get subtitles(): readonly SubtitleTrack[] {
    return subtitleTracks.get(this) ?? NO_SUBTITLES;
  }

  set subtitles(tracks: readonly SubtitleTrack[]) {
    if (tracks.length > 0) subtitleTracks.set(this, tracks);
    else subtitleTracks.delete(this);
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
