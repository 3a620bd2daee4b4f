import type { Player } from '../cast/player.ts';
import type { ControlHandler, HandledRequest } from '../control/hub.ts';
import { ControlError } from '../errors.ts';
import type { ItemEntry, LibraryListing } from '../http/api-route.ts';
import type { LibraryStatus } from '../http/status-route.ts';
import { trackLanguage } from '../media/media-words.ts';
import { resolvePlayable, startOf, type MediaSource } from '../media/resolve.ts';
import { namesDevice } from '../protocol/devices.ts';
import type { PlayerDirectory } from './directory.ts';
import { explain, type ExplainMedia } from './explain.ts';

/** What the handler needs of the media side: lookups and signing, and the library's answers for `list`, `library`, `search` and `continue`. */
export interface HandlerMedia extends MediaSource, ExplainMedia {
  listing(folderPath: string): LibraryListing | undefined;
  status(): LibraryStatus;
  search(query: string, limit?: number): ItemEntry[];
  continueWatching(limit?: number): ItemEntry[];
}

/**
 * Carries out controller requests on players: the bridge between the control
 * protocol and the one `Player` API that Chromecasts and receiver pages share.
 * A media id may name a file or a folder; a folder plays as a queue. What it throws
 * is answered by the hub with the code the error table gives (`controlCodeOf`).
 */
export class PlayerHandler implements ControlHandler {
  readonly #media: HandlerMedia;
  readonly #directory: PlayerDirectory;

  constructor(media: HandlerMedia, directory: PlayerDirectory) {
    this.#media = media;
    this.#directory = directory;
  }

  deviceKey(device: string): string | undefined {
    return this.#directory.devices().find((summary) => namesDevice(summary, device))?.id;
  }

  async handle(request: HandledRequest): Promise<Record<string, unknown> | undefined> {
    switch (request.type) {
      case 'devices':
        return { devices: this.#directory.devices() };
      case 'list': {
        const listing = this.#media.listing(request.path ?? '');
        if (!listing) throw new ControlError('UNKNOWN_MEDIA', `no folder '${request.path ?? ''}' in the library`);
        return listing as unknown as Record<string, unknown>;
      }
      case 'library':
        return this.#media.status() as unknown as Record<string, unknown>;
      case 'search':
        return { items: this.#media.search(request.query, request.limit) };
      case 'continue':
        return { items: this.#media.continueWatching(request.limit) };
      case 'explain':
        return explain(this.#media, this.#directory, request.media, request) as unknown as Record<string, unknown>;
      case 'play': {
        const audio = request.audio ?? this.#media.audioLanguage;
        const subtitles = request.subtitles === undefined ? undefined : trackLanguage(request.subtitles);
        const target = { profile: this.#directory.profile(request.device), ...(audio && { audio }), ...(subtitles && { subtitles }) };
        const what = await resolvePlayable(this.#media, request.media, request.url, target);
        const player = await this.#directory.player(request.device);
        const result = await player.load(what, {
          ...startOf(what, request.startAt),
          ...(subtitles ? { subtitles } : {}),
          ...(request.photoSeconds ? { photoSeconds: request.photoSeconds } : {}),
        });
        const conversion = Array.isArray(what) ? undefined : what.conversion;
        return { state: result.state, elapsedMs: Math.round(result.elapsedMs), items: Array.isArray(what) ? what.length : 1, ...(conversion && { conversion }) };
      }
      default:
        await this.#control(await this.#directory.player(request.device), request);
        return undefined;
    }
  }

  async #control(player: Player, request: Exclude<HandledRequest, { type: 'devices' | 'list' | 'library' | 'search' | 'continue' | 'explain' | 'play' }>): Promise<void> {
    switch (request.type) {
      case 'pause':
        return player.pause();
      case 'resume':
        return player.play();
      case 'stop':
      case 'quit':
        return player.stop();
      case 'seek':
        if ((request.position === undefined) === (request.by === undefined)) throw new ControlError('BAD_REQUEST', 'seek takes position or by, one of them');
        return request.by === undefined ? player.seek(request.position!) : player.seekBy(request.by);
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

