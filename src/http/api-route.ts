import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaFolder, MediaItem } from '../library/model.ts';
import type { MediaNames } from '../library/titles.ts';
import { requireToken } from './auth.ts';
import type { RouteContext } from './context.ts';
import { sendError, sendJson } from './respond.ts';

/** A folder in a listing. */
export interface FolderEntry {
  readonly name: string;
  /** Virtual path, to pass back as `?path=`. */
  readonly path: string;
  /** Entries directly inside: media files and subfolders. */
  readonly count: number;
  /** False when the folder (or the NAS share) could not be read at the last scan. */
  readonly available: boolean;
}

/**
 * A media file in a listing, with what its name tells (series, season and episode, or
 * the day it aired, for episodes; a film's or album's year; track, disc, artist and
 * album for music: see `MediaNames`).
 */
export interface ItemEntry extends Omit<MediaNames, 'kind' | 'title'> {
  readonly id: string;
  /** The file name, as `play` takes it after the folder's path. */
  readonly name: string;
  /** For display: the episode's, film's or song's title from the name (release noise removed), else the cleaned name. */
  readonly title: string;
  readonly kind: MediaItem['kind'];
  readonly mime: string;
  readonly size: number;
  /** ISO 8601 modification time. */
  readonly modified: string;
  /** Absolute, signed URL a Chromecast can fetch without any header. */
  readonly url: string;
  readonly subtitles: ReadonlyArray<{ readonly lang: string; readonly url: string }>;
  /** Seconds, once the file is probed. */
  readonly duration?: number;
  /** Absolute signed URL of its picture, 320 px (a cover, a poster, a frame, a thumbnail); 404 when it has none. */
  readonly artwork: string;
  /** Why the file cannot be played (corrupt, empty, unreadable), when the prober found so. */
  readonly problem?: string;
  /** Where it was left, if it was played: the position in seconds, finished (past ~90 %), when. */
  readonly watched?: { readonly position: number; readonly finished: boolean; readonly playedAt: string };
}

/** The answer of `GET /api/library`. */
export interface LibraryListing {
  /** `''` for the list of roots. */
  readonly path: string;
  /** The parent's path, `''` for a root, `null` for the list of roots. */
  readonly parent: string | null;
  readonly folders: readonly FolderEntry[];
  readonly items: readonly ItemEntry[];
}

/** `GET /api/library?path=<folder>`: a folder's subfolders and media, or the roots. */
export function serveLibrary(context: RouteContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  if (!requireToken(request, response, query, context.token)) return;
  const path = query.get('path') ?? '';
  const listing = listLibrary(context, path);
  if (!listing) return sendError(response, 'NOT_FOUND', `no folder '${path}' in the library`);
  sendJson(response, listing);
}

/** A folder's listing with signed URLs (the roots for `''`), or undefined if there is no such folder. */
export function listLibrary(context: Pick<RouteContext, 'library' | 'signedMedia'>, folderPath: string): LibraryListing | undefined {
  const path = folderPath.replace(/^\/+|\/+$/g, '');
  if (path === '') return { path: '', parent: null, folders: context.library.roots.map(folderEntry), items: [] };
  const folder = context.library.folder(path);
  if (!folder) return undefined;
  context.library.want(folder);
  const slash = folder.path.lastIndexOf('/');
  return {
    path: folder.path,
    parent: slash < 0 ? '' : folder.path.slice(0, slash),
    folders: folder.folders.map(folderEntry),
    items: folder.items.map((item) => itemEntry(context, item)),
  };
}

function folderEntry(folder: MediaFolder): FolderEntry {
  return { name: folder.name, path: folder.path, count: folder.folders.length + folder.items.length, available: folder.available };
}

/** An item as listings give it: names, signed URLs, duration and watch state. */
export function itemEntry(context: Pick<RouteContext, 'library' | 'signedMedia'>, item: MediaItem): ItemEntry {
  const { names, info, problem, watched } = context.library.details(item);
  return {
    id: item.id,
    name: item.name,
    title: names.title,
    kind: item.kind,
    mime: item.mime,
    size: item.size,
    modified: new Date(item.modified).toISOString(),
    url: context.signedMedia.mediaUrl(item),
    subtitles: context.signedMedia.tracks(item),
    artwork: context.signedMedia.artworkUrl(item, 'small'),
    ...namedFields(names),
    ...(info?.duration !== undefined && { duration: info.duration }),
    ...(problem !== undefined && { problem }),
    ...(watched && { watched: { position: Math.round(watched.position), finished: watched.finished, playedAt: new Date(watched.playedAt).toISOString() } }),
  };
}

const NAMED_FIELDS = ['series', 'season', 'episode', 'episodeEnd', 'airDate', 'year', 'track', 'disc', 'artist', 'album'] as const;

/** The optional fields the name gave (not its `kind`: the entry's is the file's), leaving out those it did not. */
function namedFields(names: MediaNames): Partial<Pick<MediaNames, (typeof NAMED_FIELDS)[number]>> {
  return Object.fromEntries(NAMED_FIELDS.filter((key) => names[key] !== undefined).map((key) => [key, names[key]]));
}
