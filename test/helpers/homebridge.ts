import { EventEmitter } from 'node:events';
import type { API, Categories, Characteristic, CharacteristicValue, PlatformAccessory, Service, WithUUID } from 'homebridge';
// Homebridge's own API class, as plugins receive it at run time (its package exports only
// types and HAP, so the class is reached by its file). Its `hap` is the real HAP-NodeJS.
import { HomebridgeAPI } from '../../node_modules/homebridge/dist/api.js';
import type { CastMedia, LoadOptions, LoadResult, PlayerStatus } from '../../src/cast/player.ts';
import type { Favourite } from '../../src/homebridge/config.ts';
import { DeviceController, type DeviceRemote, type RemotePlayer } from '../../src/homebridge/device-controller.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * A fresh Homebridge API (no server behind it: events such as `publishExternalAccessories`
 * go nowhere). Homebridge keeps its storage path in a static that is fixed once read, so a
 * test's own folder is given through this instance's `user` instead.
 */
export function homebridgeApi(storage?: string): API {
  const api = new HomebridgeAPI();
  if (storage !== undefined) {
    const user = class extends api.user {
      static override storagePath(): string {
        return storage;
      }
    };
    Object.assign(api, { user });
  }
  return api;
}

/** Listens to one of Homebridge's internal API events (`publishExternalAccessories`, `registerPlatform`, …). */
export function onInternal(api: API, event: string, listener: (...args: never[]) => void): void {
  (api as unknown as EventEmitter).on(event, listener as (...args: unknown[]) => void);
}

/** Emits an API event as Homebridge does (`didFinishLaunching`, `shutdown`). */
export function emitApi(api: API, event: 'didFinishLaunching' | 'shutdown'): void {
  (api as unknown as EventEmitter).emit(event);
}

/** A logger that keeps its lines, for asserting what the user would read. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; message: string }> = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  /** Homebridge's Logging also has `success` and `log`. */
  success(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  log(_level: string, message: string): void {
    this.lines.push({ level: 'info', message });
  }
  at(level: 'warn' | 'error'): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

/** One call made to a {@link FakePlayer}. */
export interface PlayerCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * The far end of a device for accessory handler tests: a {@link RemotePlayer} that
 * records each call and answers at once, or holds a `load` until released. The
 * device itself is exercised end to end elsewhere (simulators, Chromium).
 */
export class FakePlayer extends EventEmitter<{ status: [PlayerStatus]; call: [PlayerCall] }> implements RemotePlayer {
  readonly calls: PlayerCall[] = [];
  failure: Error | undefined;
  #status: PlayerStatus = { state: 'IDLE', position: 0, volume: 0.5, muted: false };
  #held: Array<() => void> | undefined;

  /** From now on, loads wait until {@link FakePlayer.release}. */
  hold(): void {
    this.#held = [];
  }

  release(): void {
    const waiting = this.#held ?? [];
    this.#held = undefined;
    for (const resume of waiting) resume();
  }

  status(): PlayerStatus {
    return this.#status;
  }

  async load(media: CastMedia | readonly CastMedia[], options?: LoadOptions): Promise<LoadResult> {
    await this.#record('load', media, options);
    if (this.#held) await new Promise<void>((resolve) => this.#held!.push(resolve));
    return { state: 'PLAYING', elapsedMs: 1 };
  }
  play(): Promise<void> {
    return this.#record('play');
  }
  pause(): Promise<void> {
    return this.#record('pause');
  }
  stop(): Promise<void> {
    return this.#record('stop');
  }
  seek(position: number): Promise<void> {
    return this.#record('seek', position);
  }
  seekBy(seconds: number): Promise<void> {
    return this.#record('seekBy', seconds);
  }
  setVolume(level: number): Promise<void> {
    return this.#record('setVolume', level);
  }
  setMuted(muted: boolean): Promise<void> {
    return this.#record('setMuted', muted);
  }
  next(): Promise<void> {
    return this.#record('next');
  }
  prev(): Promise<void> {
    return this.#record('prev');
  }
  quit(): Promise<void> {
    return this.#record('quit');
  }
  overlay(): Promise<void> {
    return this.#record('overlay');
  }

  /** The calls of one method, in order. */
  callsOf(method: string): PlayerCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  #record(method: string, ...args: unknown[]): Promise<void> {
    const call = { method, args };
    this.calls.push(call);
    this.emit('call', call);
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }
}

/** A film, an episode list and a radio stream, as favourites resolve in handler tests. */
export const FAVOURITES: readonly Favourite[] = [
  { name: 'Cartoons', media: 'Films/Cartoons' },
  { name: 'Big Buck Bunny 🐰!', media: 'Films/bunny.mp4' },
  { name: 'Radio', url: 'http://radio.invalid/stream.mp3' },
];

export function castMedia(name: string): CastMedia {
  return { url: `http://nas.invalid/media/${encodeURIComponent(name)}`, contentType: 'video/mp4', title: name };
}

/** Resolves the {@link FAVOURITES}: the folder has three episodes. */
export function fakeRemote(player: FakePlayer): DeviceRemote {
  return {
    player: () => Promise.resolve(player),
    resolve: (favourite) => Promise.resolve(favourite.media === 'Films/Cartoons' ? ['Episode 1', 'Episode 2', 'Episode 10'].map(castMedia) : castMedia(favourite.media ?? favourite.url ?? '')),
  };
}

/** A controller over a {@link FakePlayer}, online. */
export function fakeDevice(options: { inputs?: readonly Favourite[]; logger?: Logger; online?: boolean } = {}): { controller: DeviceController; player: FakePlayer } {
  const player = new FakePlayer();
  const controller = new DeviceController({ id: 'living-room-id', name: 'Living Room TV', inputs: options.inputs ?? FAVOURITES, remote: fakeRemote(player), logger: options.logger ?? new RecordingLogger() });
  controller.setOnline(options.online ?? true);
  return { controller, player };
}

/** A new platform accessory, as the platform makes them. */
export function newAccessory(api: API, name: string, category: Categories): PlatformAccessory {
  return new api.platformAccessory(name, api.hap.uuid.generate(`test:${name}:${Math.random()}`), category);
}

/** Reads a characteristic as HAP would; a failure gives its HAP status code (a negative number). */
export async function read(service: Service, type: WithUUID<new () => Characteristic>): Promise<CharacteristicValue | null | { status: number }> {
  try {
    return await service.getCharacteristic(type).handleGetRequest();
  } catch (status) {
    return { status: status as number };
  }
}

/** Writes a characteristic as HAP would; resolves with the HAP status code (0 for success). */
export async function write(service: Service, type: WithUUID<new () => Characteristic>, value: CharacteristicValue): Promise<number> {
  try {
    await service.getCharacteristic(type).handleSetRequest(value);
    return 0;
  } catch (status) {
    return status as number;
  }
}
