import { silentLogger, type Logger } from '../logger.ts';
import { unknownDevice } from './errors.ts';
import type { ControlHub } from './hub.ts';
import { namesDevice, type DeviceSummary, type PlayerDirectory } from './player-handler.ts';
import { ReceiverPlayer } from './receiver-player.ts';

/** The hub's device keys of browser targets start with this. */
export const BROWSER_PREFIX = 'browser:';

/**
 * The receiver pages opened with `?name=` in any browser: devices of their own kind,
 * listed while their page is connected, and cast to like a Chromecast.
 */
export class BrowserTargets implements PlayerDirectory {
  readonly #hub: ControlHub;
  readonly #logger: Logger;
  readonly #players = new Map<string, ReceiverPlayer>();

  constructor(hub: ControlHub, options: { logger?: Logger } = {}) {
    this.#hub = hub;
    this.#logger = options.logger ?? silentLogger;
    hub.on('receiver-up', (device, name) => {
      if (device.startsWith(BROWSER_PREFIX)) this.#logger.info(`Browser target "${name ?? device}" connected`);
    });
    hub.on('receiver-down', (device) => {
      if (device.startsWith(BROWSER_PREFIX)) this.#logger.info(`Browser target "${device.slice(BROWSER_PREFIX.length)}" went away`);
    });
  }

  devices(): DeviceSummary[] {
    return this.#hub.receivers
      .filter((receiver) => receiver.device.startsWith(BROWSER_PREFIX))
      .map((receiver) => ({ id: receiver.device, name: receiver.name ?? receiver.device.slice(BROWSER_PREFIX.length), kind: 'browser' as const, online: true }));
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

  /** Stops following the hub. */
  dispose(): void {
    for (const player of this.#players.values()) player.dispose();
    this.#players.clear();
  }

  #find(device: string): DeviceSummary | undefined {
    return this.devices().find((target) => namesDevice(target, device));
  }
}
