import type { API, CharacteristicValue, HAPStatus } from 'homebridge';
import { DeviceUnavailableError, errorMessage, type Logger, NoMediaSessionError } from '../api.ts';

/** HAP statuses (HAP-NodeJS's `HAPStatus` is a const enum, which our isolated-module build cannot read). */
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- the values are the enum's own, copied */
export const HAP_STATUS = {
  /** "Not Responding" in the Home app. */
  SERVICE_COMMUNICATION_FAILURE: -70402 as HAPStatus,
  INVALID_VALUE_IN_REQUEST: -70410 as HAPStatus,
} as const;
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** What the glue needs of a device: whether it answers, and its name for log lines. */
export interface GlueTarget {
  readonly online: boolean;
  readonly name: string;
}

/**
 * How every accessory of a device answers HAP: reads from the controller's cache at
 * once ("Not Responding", -70402, while the device is offline), commands that turn our
 * errors into a log line and a HAP status, and loads that run in the background so a
 * slow launch never makes the Home app wait (Homebridge flags handlers slower than 3 s).
 * Nothing thrown here is anything but a `HapStatusError`, which HAP-NodeJS expects.
 */
export class HapGlue {
  readonly #api: API;
  readonly #target: GlueTarget;
  readonly #logger: Logger;

  constructor(api: API, target: GlueTarget, logger: Logger) {
    this.#api = api;
    this.#target = target;
    this.#logger = logger;
  }

  /** An `onGet` handler: the cached value, or "Not Responding" while offline. */
  read(value: () => CharacteristicValue): () => CharacteristicValue {
    return () => {
      this.assertOnline();
      return value();
    };
  }

  /** Throws "Not Responding" while the device is offline (for handlers that decide before they act). */
  assertOnline(): void {
    if (!this.#target.online) throw this.#notResponding();
  }

  /** Runs a quick command for an `onSet` handler. */
  async command(what: string, action: () => Promise<void>): Promise<void> {
    this.assertOnline();
    try {
      await action();
    } catch (error) {
      this.#settle(what, error);
    }
  }

  /**
   * Starts a command that may take seconds (a launch, a load) and answers HAP at once;
   * a failure is logged and `afterFailure` puts the characteristics back as they are.
   */
  background(what: string, action: () => Promise<void>, afterFailure: () => void): void {
    this.assertOnline();
    action().catch((error: unknown) => {
      try {
        this.#settle(what, error);
      } catch {
        // Already logged; nobody is waiting for the HAP status of a background load.
      }
      afterFailure();
    });
  }

  #settle(what: string, error: unknown): void {
    const name = this.#target.name;
    if (error instanceof NoMediaSessionError) {
      this.#logger.debug(`${name}: nothing is playing, so ${what} does nothing`);
      return;
    }
    const message = errorMessage(error);
    if (error instanceof DeviceUnavailableError) this.#logger.warn(`${name}: cannot ${what}, the device is not responding (${message})`);
    else this.#logger.warn(`${name}: cannot ${what}: ${message}`);
    throw this.#notResponding();
  }

  #notResponding(): Error {
    return new this.#api.hap.HapStatusError(HAP_STATUS.SERVICE_COMMUNICATION_FAILURE);
  }
}
