import { Bonjour, type Service } from 'bonjour-service';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';

/** The TXT record of a Cast device, as real ones send it. */
export interface CastTxt {
  id: string;
  cd: string;
  rm: string;
  ve: string;
  md: string;
  ic: string;
  fn: string;
  ca: string;
  st: string;
  bs: string;
  nf: string;
  rs: string;
}

/** bonjour-service's internals that an in-place TXT change needs (it has no public API for one). */
interface BonjourInternals {
  server: {
    mdns: EventEmitter & { respond(records: unknown, callback?: (error?: Error) => void): void };
    register(records: unknown): void;
    unregister(records: unknown): void;
  };
}

/** Advertises one `_googlecast._tcp` service over mDNS. */
export class CastAdvertiser {
  readonly #bonjour: Bonjour;
  readonly #logger: Logger;
  #service: Service | undefined;

  constructor(options: { interface?: string; logger: Logger }) {
    this.#logger = options.logger;
    // `interface` goes through to multicast-dns; bonjour-service's type does not list it.
    const mdnsOptions = (options.interface ? { interface: options.interface } : {}) as ConstructorParameters<typeof Bonjour>[0];
    this.#bonjour = new Bonjour(mdnsOptions, (error: Error) => {
      this.#logger.warn(`mDNS advertisement failed: ${error.message}`);
    });
    const { mdns } = this.#internals().server;
    mdns.on('error', (error: Error) => this.#logger.warn(`mDNS socket error: ${error.message}`));
    mdns.on('warning', (error: Error) => this.#logger.debug(`mDNS warning: ${error.message}`));
  }

  publish(instanceName: string, port: number, txt: CastTxt): void {
    this.#service = this.#bonjour.publish({ name: instanceName, type: 'googlecast', port, txt: { ...txt }, probe: false, disableIPv6: true });
    this.#service.on('error', (error: Error) => this.#logger.warn(`mDNS service error: ${error.message}`));
  }

  /** Announces a new TXT record for the same service, as a device does when renamed or when its app changes. */
  updateTxt(txt: CastTxt): void {
    const service = this.#service;
    if (!service) return;
    service.txt = { ...txt };
    const records = service.records();
    const { server } = this.#internals();
    const txtRecords = records.filter((record) => record.type === 'TXT');
    server.unregister(txtRecords);
    server.register(txtRecords);
    server.mdns.respond(records, (error) => {
      if (error) this.#logger.warn(`mDNS announcement failed: ${error.message}`);
    });
  }

  /** Sends the goodbye and closes the socket. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#bonjour.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => this.#bonjour.destroy(() => resolve()));
  }

  #internals(): BonjourInternals {
    return this.#bonjour as unknown as BonjourInternals;
  }
}
