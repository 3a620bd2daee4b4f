import type { CastMedia, Player } from '../cast/player.ts';
import { probeMediaUrl } from '../cast/probe.ts';
import { NasCastError } from '../errors.ts';
import type { LibraryListing } from '../http/api-route.ts';
import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem } from '../library/model.ts';
import { ControlError } from './errors.ts';
import type { ControlHandler, HandledRequest } from './hub.ts';
import type { ControlErrorCode } from './protocol.ts';

/** A device as `devices` lists it. */
export interface DeviceSummary {
  /** The key requests name it by. */
  id: string;
  name: string;
  kind: 'chromecast' | 'group' | 'browser';
  online: boolean;
}

/** Whether `candidate` is the device a request names: by its id, or its name in any case. */
export function namesDevice(candidate: { readonly id: string; readonly name: string }, device: string): boolean {
  return candidate.id === device || candidate.name.toLowerCase() === device.toLowerCase();
}

/** Whether a play names a URL (`http(s)://…`) rather than a media id or library path. */
export function isMediaUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** Where the handler finds devices and their players. */
export interface PlayerDirectory {
  devices(): DeviceSummary[];
  /** The player of a device named by id or name; throws a {@link ControlError} (`UNKNOWN_DEVICE`, `DEVICE_OFFLINE`). */
  player(device: string): Promise<Player>;
}

/** What the handler needs of the media server. */
export interface MediaSource {
  readonly library: MediaLibrary;
  castMedia(item: MediaItem): CastMedia;
  listing(folderPath: string): LibraryListing | undefined;
}

// The package's error codes as the protocol answers them.
const ERROR_CODES: Partial<Record<string, ControlErrorCode>> = {
  ERR_MEDIA_NOT_FOUND: 'UNKNOWN_MEDIA',
  ERR_LOAD_FAILED: 'LOAD_FAILED',
  ERR_UNPLAYABLE: 'LOAD_FAILED',
  ERR_DEVICE_UNAVAILABLE: 'DEVICE_OFFLINE',
  ERR_CAST_TIMEOUT: 'TIMEOUT',
  ERR_NO_MEDIA_SESSION: 'BAD_REQUEST',
  ERR_LAUNCH: 'DEVICE_OFFLINE',
};

/**
 * Carries out controller requests on players: the bridge between the control
 * protocol and the one `Player` API that Chromecasts and receiver pages share.
 * A media id may name a file or a folder; a folder plays as a queue.
 */
export class PlayerHandler implements ControlHandler {
  readonly #media: MediaSource;
  readonly #directory: PlayerDirectory;

  constructor(media: MediaSource, directory: PlayerDirectory) {
    this.#media = media;
    this.#directory = directory;
  }

  async handle(request: HandledRequest): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.#handle(request);
    } catch (error) {
      if (error instanceof ControlError) throw error;
      const code = error instanceof NasCastError ? ERROR_CODES[error.code] : undefined;
      if (code) throw new ControlError(code, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async #handle(request: HandledRequest): Promise<Record<string, unknown> | undefined> {
    switch (request.type) {
      case 'devices':
        return { devices: this.#directory.devices() };
      case 'list': {
        const listing = this.#media.listing(request.path ?? '');
        if (!listing) throw new ControlError('UNKNOWN_MEDIA', `no folder '${request.path ?? ''}' in the library`);
        return listing as unknown as Record<string, unknown>;
      }
      case 'play': {
        const what = await resolvePlayable(this.#media, request.media, request.url);
        const player = await this.#directory.player(request.device);
        const result = await player.load(what, { ...(request.startAt ? { startAt: request.startAt } : {}), ...(request.subtitles ? { subtitles: request.subtitles } : {}) });
        return { state: result.state, elapsedMs: Math.round(result.elapsedMs), items: Array.isArray(what) ? what.length : 1 };
      }
      default:
        await this.#control(await this.#directory.player(request.device), request);
        return undefined;
    }
  }

  async #control(player: Player, request: Exclude<HandledRequest, { type: 'devices' | 'list' | 'play' }>): Promise<void> {
    switch (request.type) {
      case 'pause':
        return player.pause();
      case 'resume':
        return player.play();
      case 'stop':
      case 'quit':
        return player.stop();
      case 'seek':
        return player.seek(request.position);
      case 'volume':
        return player.setVolume(request.level);
      case 'mute':
        return player.setMuted(request.muted);
      case 'next':
        return player.next();
      case 'prev':
        return player.prev();
    }
  }


}

/**
 * What a `play` names, as players take it: a media id or a library path of a file,
 * a folder path (its items as a queue), or a URL outside the library (probed first).
 * Throws a {@link ControlError}: `BAD_REQUEST` for both or neither, `UNKNOWN_MEDIA`.
 */
export async function resolvePlayable(source: MediaSource, media: string | undefined, url: string | undefined): Promise<CastMedia | CastMedia[]> {
  if (media !== undefined && url !== undefined) throw new ControlError('BAD_REQUEST', 'play takes media or url, not both');
  if (url !== undefined) return probeMediaUrl(url);
  if (media === undefined) throw new ControlError('BAD_REQUEST', 'play needs media (an id or a folder path) or url');
  const library = source.library;
  const slash = media.lastIndexOf('/');
  const item = library.get(media) ?? (slash > 0 ? library.folder(media.slice(0, slash))?.items.find((entry) => entry.name === media.slice(slash + 1)) : undefined);
  if (item) return source.castMedia(item);
  const folder = library.folder(media);
  if (folder && folder.items.length > 0) return folder.items.map((entry) => source.castMedia(entry));
  throw new ControlError('UNKNOWN_MEDIA', folder ? `the folder '${media}' has no media` : `no media or folder '${media}' in the library`);
}
