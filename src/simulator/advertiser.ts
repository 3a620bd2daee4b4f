import { Bonjour } from 'bonjour-service';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';
import { castRecords, recordsFor, type CastAdvertisement, type MdnsQuestion, type MdnsRecord } from './mdns-records.ts';

export type { CastAdvertisement, CastTxt } from './mdns-records.ts';
export { advertisedAddresses, castInstanceName, dashedUuid } from './mdns-records.ts';

/** The mDNS port: a query from another one is a legacy unicast query and is answered to its sender. */
const MDNS_PORT = 5353;
/** When announcements go out after publishing or a change (RFC 6762 §8.3: at least two, a second apart). */
const ANNOUNCE_AT_MS = [0, 1000, 3000];

/** multicast-dns, the socket bonjour-service wraps (it has no types of its own). */
interface MulticastDns extends EventEmitter {
  respond(packet: { id?: number; questions?: MdnsQuestion[]; answers: MdnsRecord[]; additionals?: MdnsRecord[] }, rinfo: { port: number; address: string } | undefined, callback: (error?: Error | null) => void): void;
}

/**
 * Advertises one `_googlecast._tcp` service over mDNS as a Cast device does: SRV
 * target `<dashed-uuid>.local`, an A record for every address the device listens on
 * (loopback too), the TXT record, and answers to PTR, SRV, TXT and A questions (QU
 * ones too, by multicast, which every process sharing port 5353 hears).
 *
 * bonjour-service supplies only the socket: its own records would name the SRV target
 * after `os.hostname()` and leave out loopback addresses, so the records are built here
 * and bonjour-service's registry stays empty (its responder then never answers).
 */
export class CastAdvertiser {
  readonly #bonjour: Bonjour;
  readonly #mdns: MulticastDns;
  readonly #logger: Logger;
  readonly #timers = new Set<NodeJS.Timeout>();
  #advertisement: CastAdvertisement | undefined;

  /**
   * `interface`: the address multicast goes out on. The socket is bound to 0.0.0.0
   * then, since a socket bound to an interface address receives no multicast queries.
   */
  constructor(options: { interface?: string; logger: Logger }) {
    this.#logger = options.logger;
    // `interface` and `bind` go through to multicast-dns; bonjour-service's type does not list them.
    const mdnsOptions = (options.interface ? { interface: options.interface, bind: '0.0.0.0' } : {}) as ConstructorParameters<typeof Bonjour>[0];
    this.#bonjour = new Bonjour(mdnsOptions, (error: Error) => this.#logger.warn(`mDNS advertisement failed: ${error.message}`));
    this.#mdns = (this.#bonjour as unknown as { server: { mdns: MulticastDns } }).server.mdns;
    this.#mdns.on('error', (error: Error) => this.#logger.warn(`mDNS socket error: ${error.message}`));
    this.#mdns.on('warning', (error: Error) => this.#logger.debug(`mDNS warning: ${error.message}`));
    this.#mdns.on('query', (packet: { id?: number; questions?: MdnsQuestion[] }, rinfo: { port: number; address: string }) => this.#answer(packet, rinfo));
  }

  /** Starts answering for the service and announces it. */
  publish(advertisement: CastAdvertisement): void {
    this.#advertisement = advertisement;
    this.#announce();
  }

  /** Announces a new TXT record for the same service, as a device does when renamed or when its app changes. */
  updateTxt(txt: CastAdvertisement['txt']): void {
    if (!this.#advertisement) return;
    this.#advertisement = { ...this.#advertisement, txt: { ...txt } };
    this.#announce();
  }

  /** Sends the goodbye (every record with TTL 0) and closes the socket. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const advertisement = this.#advertisement;
    this.#advertisement = undefined;
    if (advertisement) {
      const goodbye = castRecords(advertisement).all.map((record) => ({ ...record, ttl: 0 }));
      await new Promise<void>((resolve) => this.#mdns.respond({ answers: goodbye }, undefined, () => resolve()));
    }
    await new Promise<void>((resolve) => this.#bonjour.destroy(() => resolve()));
  }

  #announce(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const delay of ANNOUNCE_AT_MS) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        const advertisement = this.#advertisement;
        if (!advertisement) return;
        const { ptr, srv, txt, addresses } = castRecords(advertisement);
        this.#send({ answers: [ptr, srv, txt, ...addresses] }, undefined);
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    }
  }

  #answer(packet: { id?: number; questions?: MdnsQuestion[] }, rinfo: { port: number; address: string }): void {
    const advertisement = this.#advertisement;
    if (!advertisement || !Array.isArray(packet.questions)) return;
    const { answers, additionals } = recordsFor(castRecords(advertisement), packet.questions);
    if (answers.length === 0) return;
    if (rinfo.port === MDNS_PORT) return this.#send({ answers, additionals }, undefined);
    // A legacy unicast query (RFC 6762 §6.7): answered to its sender, echoing id and questions.
    this.#send({ id: packet.id ?? 0, questions: packet.questions, answers, additionals }, { port: rinfo.port, address: rinfo.address });
  }

  #send(packet: { id?: number; questions?: MdnsQuestion[]; answers: MdnsRecord[]; additionals?: MdnsRecord[] }, rinfo: { port: number; address: string } | undefined): void {
    this.#mdns.respond(packet, rinfo, (error) => {
      if (error) this.#logger.warn(`mDNS answer failed: ${error.message}`);
    });
  }
}
