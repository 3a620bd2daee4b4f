import { EventEmitter } from 'node:events';
import { CastSession, type CastSessionOptions } from '../cast/session.ts';
import type { CastDevice } from '../discovery/device.ts';
import type { DeviceDiscovery } from '../discovery/discovery.ts';
import { type Logger, partLogger } from '../logger.ts';
import { ChromecastPlayer, type ReceiverAppLink } from './chromecast-player.ts';
import { unknownDevice } from '../errors.ts';
import { namesDevice, type DeviceSummary } from '../protocol/devices.ts';
import type { DirectoryEvents, PlayerDirectory } from './directory.ts';
import { castDeviceProfile, reportedSupport, type DeviceOverride, type DeviceProfile } from '../media/device-profile.ts';
import type { ConnectedReceiver } from '../control/receivers.ts';

/** Options of {@link Chromecasts}. */
export interface ChromecastsOptions {
  discovery: DeviceDiscovery;
  /** Our receiver app's id; empty or absent: the Default Media Receiver. */
  appId?: string;
  /** The control channel, for the hand-over to our app. */
  control?: ReceiverAppLink;
  /** Deadlines and heartbeat of the sessions. */
  session?: Partial<Omit<CastSessionOptions, 'host' | 'port' | 'logger'>>;
  /** How long a launched page may take to join the control channel. */
  receiverTimeoutMs?: number;
  /** What the user says about devices, by name or id. */
  overrides?: Readonly<Record<string, DeviceOverride>>;
  /** Receiver pages connected now: ours, on a Chromecast, says what the device plays. */
  receivers?: () => readonly ConnectedReceiver[];
  logger?: Logger;
}

/** Events of {@link Chromecasts}: `online` when a device with a player becomes reachable or unreachable. */
export type ChromecastsEvents = DirectoryEvents;

/**
 * The Chromecasts discovery finds, as a {@link PlayerDirectory}: one
 * {@link ChromecastPlayer} (and castv2 session) per device, made on first use.
 */
export class Chromecasts extends EventEmitter<ChromecastsEvents> implements PlayerDirectory {
  readonly #options: ChromecastsOptions;
  readonly #logger: Logger;
  readonly #players = new Map<string, ChromecastPlayer>();
  readonly #onChanged = (device: CastDevice, previous: CastDevice): void => {
    // A new address needs a new session; the next request makes one.
    if (device.host !== previous.host || device.port !== previous.port) this.#drop(device.id);
  };

  constructor(options: ChromecastsOptions) {
    super();
    this.#options = options;
    this.#logger = partLogger(options.logger);
    options.discovery.on('changed', this.#onChanged);
  }

  /** Devices discovery lists, and those it has lost that still have a player (shown offline). */
  devices(): DeviceSummary[] {
    const listed = this.#options.discovery.devices.map((device) => this.#summary(device));
    const lost = [...this.#players.values()].filter((player) => !listed.some((device) => device.id === player.id));
    return [...listed, ...lost.map((player) => ({ id: player.id, name: player.name, kind: 'chromecast' as const, online: player.online }))];
  }

  /** The player of a device named by id or by name (case does not matter). */
  player(device: string): Promise<ChromecastPlayer> {
    const found = this.#options.discovery.devices.find((candidate) => namesDevice(candidate, device));
    if (found) return Promise.resolve(this.#players.get(found.id) ?? this.#create(found));
    // Gone from discovery, but known: its player says offline rather than "unknown".
    const known = [...this.#players.values()].find((player) => namesDevice(player, device));
    if (known) return Promise.resolve(known);
    return Promise.reject(unknownDevice(device, this.devices().map((summary) => summary.name)));
  }

  /**
   * What a device plays: its model's row of Google's table (by its network name), what
   * the user says about it, and what our receiver page on it answered, when it runs.
   */
  profile(device: string): DeviceProfile {
    const found = this.#options.discovery.devices.find((candidate) => namesDevice(candidate, device));
    const overrides = this.#options.overrides ?? {};
    const override = found ? (overrides[found.name] ?? overrides[found.id]) : overrides[device];
    const supports = found && this.#options.receivers?.().find((receiver) => receiver.device === found.id)?.supports;
    return castDeviceProfile(found?.model ?? '', override, supports ? reportedSupport(supports) : undefined);
  }

  /** Closes every session. */
  close(): void {
    this.#options.discovery.off('changed', this.#onChanged);
    for (const id of [...this.#players.keys()]) this.#drop(id);
  }

  #summary(device: CastDevice): DeviceSummary {
    return { id: device.id, name: device.name, kind: device.isGroup ? 'group' : 'chromecast', online: this.#players.get(device.id)?.online ?? true };
  }

  #create(device: CastDevice): ChromecastPlayer {
    const { appId, control, receiverTimeoutMs, session: sessionOptions } = this.#options;
    const session = new CastSession({ ...sessionOptions, host: device.host, port: device.port, logger: this.#logger });
    const player = new ChromecastPlayer({
      id: device.id,
      name: device.name,
      session,
      logger: this.#logger,
      ...(appId ? { appId } : {}),
      ...(control ? { control } : {}),
      ...(receiverTimeoutMs === undefined ? {} : { receiverTimeoutMs }),
    });
    player.on('online', (online) => {
      this.#logger.info(`Chromecast "${player.name}" is ${online ? 'reachable again' : 'offline: neither its Cast connection nor its receiver page answers'}`);
      this.emit('online', { id: player.id, name: player.name, kind: device.isGroup ? 'group' : 'chromecast', online });
    });
    this.#players.set(device.id, player);
    return player;
  }

  #drop(id: string): void {
    this.#players.get(id)?.dispose();
    this.#players.delete(id);
  }
}
