import { EventEmitter } from 'node:events';
import type { ControlHub, SelfNamedReceivers } from '../control/hub.ts';
import { unknownDevice } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import { namesDevice, type DeviceSummary } from '../protocol/devices.ts';
import type { DirectoryEvents, PlayerDirectory } from './directory.ts';
import { ReceiverPlayer } from './receiver-player.ts';
import { browserProfile, reportedSupport, type DeviceOverride, type DeviceProfile } from '../media/device-profile.ts';

/** How long the player of a browser target that left is kept for its page to come back (a cut channel). */
const FORGET_AFTER_MS = 10 * 60_000;

/** The hub's device keys of browser targets start with this. */
export const BROWSER_PREFIX = 'browser:';

/** Whether a device key is a browser target's. */
export function isBrowserTarget(device: string): boolean {
  return device.startsWith(BROWSER_PREFIX);
}

/**
 * How the hub keys browser targets, the receivers that name themselves:
 * `Kitchen Tablet` → `browser:kitchen-tablet`.
 */
export const BROWSER_TARGET_KEYS: SelfNamedReceivers = {
  keyFor: (name) => BROWSER_PREFIX + (name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'browser'),
  owns: isBrowserTarget,
};

/**
 * The receiver pages opened with `?name=` in any browser: devices of their own kind,
 * listed while their page is connected, and cast to like a Chromecast.
 */
export class BrowserTargets extends EventEmitter<DirectoryEvents> implements PlayerDirectory {
  readonly #hub: ControlHub;
  readonly #logger: Logger;
  readonly #players = new Map<string, ReceiverPlayer>();
  readonly #forgetting = new Map<string, NodeJS.Timeout>();

  readonly #overrides: Readonly<Record<string, DeviceOverride>>;

  constructor(hub: ControlHub, options: { logger?: Logger; overrides?: Readonly<Record<string, DeviceOverride>> } = {}) {
    super();
    this.#hub = hub;
    this.#overrides = options.overrides ?? {};
    this.#logger = partLogger(options.logger);
    hub.on('receiver-up', (device, name) => {
      if (!isBrowserTarget(device)) return;
      clearTimeout(this.#forgetting.get(device));
      this.#forgetting.delete(device);
      this.#logger.info(`Browser target "${name ?? device}" connected`);
      this.emit('online', summary(device, name, true));
    });
    hub.on('receiver-down', (device) => {
      if (!isBrowserTarget(device)) return;
      this.#logger.info(`Browser target "${device.slice(BROWSER_PREFIX.length)}" went away`);
      // Its player (and queue) waits a while for the page to come back, then goes.
      clearTimeout(this.#forgetting.get(device));
      this.#forgetting.set(device, setTimeout(() => this.#forget(device), FORGET_AFTER_MS).unref());
      this.emit('online', summary(device, undefined, false));
    });
  }

  devices(): DeviceSummary[] {
    return this.#hub.receivers
      .filter((receiver) => isBrowserTarget(receiver.device))
      .map((receiver) => summary(receiver.device, receiver.name, true));
  }

  player(device: string): Promise<ReceiverPlayer> {
    const found = this.#find(device);
    if (!found) {
      return Promise.reject(unknownDevice(device, this.devices().map((summary) => summary.name)));
    }
    let player = this.#players.get(found.id);
    if (!player) {
      player = new ReceiverPlayer(this.#hub, found.id, { logger: this.#logger });
      this.#players.set(found.id, player);
    }
    return Promise.resolve(player);
  }

  /** What the target's browser said it plays when its page joined. */
  profile(device: string): DeviceProfile {
    const found = this.#find(device);
    const supports = found && this.#hub.receivers.find((receiver) => receiver.device === found.id)?.supports;
    const override = found ? (this.#overrides[found.name] ?? this.#overrides[found.id]) : undefined;
    return browserProfile(`${found?.name ?? device} (browser target)`, supports ? reportedSupport(supports) : undefined, override);
  }

  /** Stops following the hub. */
  dispose(): void {
    for (const timer of this.#forgetting.values()) clearTimeout(timer);
    this.#forgetting.clear();
    for (const player of this.#players.values()) player.dispose();
    this.#players.clear();
  }

  #forget(device: string): void {
    this.#forgetting.delete(device);
    this.#players.get(device)?.dispose();
    this.#players.delete(device);
  }

  #find(device: string): DeviceSummary | undefined {
    return this.devices().find((target) => namesDevice(target, device));
  }
}

function summary(device: string, name: string | undefined, online: boolean): DeviceSummary {
  return { id: device, name: name ?? device.slice(BROWSER_PREFIX.length), kind: 'browser', online };
}
