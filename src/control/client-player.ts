import { EventEmitter } from 'node:events';
import type { LoadOptions, LoadResult, MediaPlayer, PlaybackState, PlayerEvents, PlayerStatus } from '../cast/player.ts';
import type { ControlClient } from './client.ts';
import { unknownDevice } from '../errors.ts';
import { isMediaUrl } from '../media/resolve.ts';
import { namesDevice, positionNow, type DeviceSummary } from '../protocol/index.ts';

/**
 * What {@link ClientPlayer.load} plays on the far NasCast: a media id, a library path of
 * a file or folder, or an `http(s)://` URL, as a string; or an entry of a `list` reply
 * (`{ id }`), a library folder (`{ path }`) or `{ url }`.
 */
export type RemotePlayable = string | { readonly id: string } | { readonly path: string } | { readonly url: string };

/** How a device looks before its first status. */
const NO_STATUS: PlayerStatus = { state: 'IDLE', position: 0, volume: 0, muted: false };

/**
 * One device of a NasCast on another machine, driven through a {@link ControlClient}
 * with the same calls as `NasCast.player()`. It keeps the device's pushed status, so
 * `status()` answers at once; `close()` stops following it.
 */
export class ClientPlayer extends EventEmitter<PlayerEvents> implements MediaPlayer<RemotePlayable> {
  readonly device: string;
  /** The device as the server listed it when the player was made. */
  readonly summary: DeviceSummary;
  readonly #client: ControlClient;
  #status: PlayerStatus = NO_STATUS;
  #reportedAt = Date.now();
  readonly #onStatus = (device: string, status: PlayerStatus): void => {
    if (device !== this.summary.id) return;
    this.#status = status;
    this.#reportedAt = Date.now();
    this.emit('status', status);
  };

  private constructor(client: ControlClient, device: string, summary: DeviceSummary) {
    super();
    this.#client = client;
    this.device = device;
    this.summary = summary;
  }

  /** Finds the device by id or name (`UNKNOWN_DEVICE` lists what there is), subscribes to it and reads its last status. */
  static async open(client: ControlClient, device: string): Promise<ClientPlayer> {
    const devices = await client.devices();
    const summary = devices.find((candidate) => namesDevice(candidate, device));
    if (!summary) throw unknownDevice(device, devices.map((candidate) => candidate.name));
    const player = new ClientPlayer(client, device, summary);
    client.on('status', player.#onStatus);
    await client.subscribe(summary.id);
    // A device that never played has no status yet: it stays IDLE until one comes.
    player.#status = await client.status(summary.id).catch(() => player.#status);
    player.#reportedAt = Date.now();
    return player;
  }

  async load(what: RemotePlayable, options: LoadOptions = {}): Promise<LoadResult> {
    const target = typeof what === 'string' ? (isMediaUrl(what) ? { url: what } : { media: what }) : 'id' in what ? { media: what.id } : 'path' in what ? { media: what.path } : { url: what.url };
    const reply = await this.#client.play(this.summary.id, {
      ...target,
      ...(options.startAt !== undefined ? { startAt: options.startAt } : {}),
      ...(options.subtitles ? { subtitles: options.subtitles } : {}),
      ...(options.photoSeconds ? { photoSeconds: options.photoSeconds } : {}),
    });
    return { state: (reply?.state as PlaybackState | undefined) ?? 'PLAYING', elapsedMs: typeof reply?.elapsedMs === 'number' ? reply.elapsedMs : 0 };
  }

  play(): Promise<void> {
    return this.#client.resume(this.summary.id);
  }

  pause(): Promise<void> {
    return this.#client.pause(this.summary.id);
  }

  stop(): Promise<void> {
    return this.#client.stop(this.summary.id);
  }

  seek(position: number): Promise<void> {
    return this.#client.seek(this.summary.id, position);
  }

  /** Done where the device is, so that it is measured from where it really is. */
  seekBy(seconds: number): Promise<void> {
    return this.#client.seekBy(this.summary.id, seconds);
  }

  setVolume(level: number): Promise<void> {
    return this.#client.volume(this.summary.id, level);
  }

  setMuted(muted: boolean): Promise<void> {
    return this.#client.mute(this.summary.id, muted);
  }

  next(): Promise<void> {
    return this.#client.next(this.summary.id);
  }

  prev(): Promise<void> {
    return this.#client.prev(this.summary.id);
  }

  status(): PlayerStatus {
    return { ...this.#status, position: positionNow(this.#status, this.#reportedAt) };
  }

  /** Stops following the device (the client stays open). */
  async close(): Promise<void> {
    this.#client.off('status', this.#onStatus);
    await this.#client.unsubscribe(this.summary.id).catch(() => {});
  }
}
