import { EventEmitter } from 'node:events';
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { CastSession } from '../cast/session.ts';
import { type Logger, partLogger } from '../logger.ts';
import { deviceChanged, deviceFromTxt, type CastDevice } from './device.ts';
import { errorMessage } from '../errors.ts';

/** How to look for Cast devices. */
export interface DiscoveryOptions {
  /** Browse mDNS (default true). */
  mdns?: boolean;
  /** The interface address to browse on (all by default). */
  interface?: string;
  /** Active query interval, ms. Default 30000. The first query goes out at start. */
  queryIntervalMs?: number;
  /** A device not heard from for this long is `down`. Default 3 query intervals. */
  expireAfterMs?: number;
  /** Devices named by `host[:port]`, probed over castv2: for networks where multicast does not pass. */
  staticHosts?: readonly StaticHost[];
  /** How often static hosts are probed. Default 30000 ms. */
  staticProbeIntervalMs?: number;
  logger?: Logger;
}

/** A device named by `[Name=]host[:port]`, or by host, port and a display name. */
export type StaticHost = string | { host: string; port?: number; name?: string };

/** Events of {@link DeviceDiscovery}. */
export interface DiscoveryEvents {
  up: [device: CastDevice];
  changed: [device: CastDevice, previous: CastDevice];
  down: [device: CastDevice, reason: string];
}

/** One line of "what discovery saw", for diagnostics. */
export interface DiscoveryNote {
  readonly at: number;
  readonly message: string;
}

/**
 * Finds Chromecasts and groups: mDNS browsing with bonjour-service (an active
 * query at start and on an interval, so a device shows up within a second) plus
 * static hosts probed over castv2. Reports typed, deduplicated up/changed/down.
 */
export class DeviceDiscovery extends EventEmitter<DiscoveryEvents> {
  readonly #options: DiscoveryOptions;
  readonly #logger: Logger;
  readonly #devices = new Map<string, CastDevice>();
  readonly #lastSeen = new Map<string, number>();
  readonly #notes: DiscoveryNote[] = [];
  #bonjour: Bonjour | undefined;
  #browser: Browser | undefined;
  #timers: NodeJS.Timeout[] = [];
  readonly #staticHosts: StaticHost[] = [];
  #probingStatic = false;
  #running = false;

  constructor(options: DiscoveryOptions = {}) {
    super();
    this.#options = options;
    this.#logger = partLogger(options.logger);
  }

  /** The devices up now. */
  get devices(): CastDevice[] {
    return [...this.#devices.values()];
  }

  /** The last 100 things discovery saw or ignored, and why. */
  get diagnostics(): readonly DiscoveryNote[] {
    return this.#notes;
  }

  start(): void {
    this.#running = true;
    if (this.#options.mdns !== false) this.#startMdns();
    for (const entry of this.#options.staticHosts ?? []) this.addStaticHost(entry);
  }

  /** Adds a device named by host, probed at once and then with the others; after `start()`. */
  addStaticHost(entry: StaticHost): void {
    this.#staticHosts.push(entry);
    void this.#probeStatic(entry);
    if (this.#probingStatic) return;
    this.#probingStatic = true;
    this.#every(this.#options.staticProbeIntervalMs ?? 30_000, () => void Promise.all(this.#staticHosts.map((host) => this.#probeStatic(host))));
  }

  /**
   * Reports a device `down` because a session to it failed its heartbeat. It comes
   * back `up` with its next mDNS answer or static probe.
   */
  reportUnreachable(id: string, reason = 'missed its heartbeat'): void {
    this.#down(id, reason);
  }

  /** Sends an mDNS query now. */
  query(): void {
    this.#browser?.update();
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#running = false;
    this.#probingStatic = false;
    this.#staticHosts.length = 0;
    this.#browser?.stop();
    this.#browser = undefined;
    const bonjour = this.#bonjour;
    this.#bonjour = undefined;
    if (bonjour) await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  }

  #startMdns(): void {
    const mdnsOptions = (this.#options.interface ? { interface: this.#options.interface } : {}) as ConstructorParameters<typeof Bonjour>[0];
    const bonjour = new Bonjour(mdnsOptions, (error: Error) => this.#note(`mDNS error: ${error.message}`));
    this.#bonjour = bonjour;
    const { mdns } = (bonjour as unknown as { server: { mdns: EventEmitter } }).server;
    mdns.on('error', (error: Error) => this.#logger.warn(`mDNS socket error: ${error.message}`));
    mdns.on('warning', (error: Error) => this.#note(`mDNS warning: ${error.message}`));
    // Every answer refreshes its devices, including re-announcements bonjour-service does not report.
    mdns.on('response', (packet: { answers?: Array<{ type: string; name: string }>; additionals?: Array<{ type: string; name: string }> }) => {
      for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) if (record.type === 'SRV') this.#touchFqdn(record.name);
    });
    const browser = bonjour.find({ type: 'googlecast' });
    this.#browser = browser;
    browser.on('up', (service: Service) => this.#fromService(service));
    browser.on('txt-update', (service: Service) => this.#fromService(service));
    browser.on('srv-update', (service: Service) => this.#fromService(service));
    browser.on('down', (service: Service) => {
      const id = this.#idOf(service.fqdn);
      if (id) this.#down(id, 'said goodbye');
    });
    const interval = this.#options.queryIntervalMs ?? 30_000;
    const expireAfter = this.#options.expireAfterMs ?? interval * 3;
    this.#every(interval, () => {
      browser.update();
      const now = Date.now();
      for (const [id, seen] of this.#lastSeen) {
        if (this.#devices.get(id)?.source === 'mdns' && now - seen > expireAfter) this.#down(id, `not heard from for ${expireAfter} ms`);
      }
    });
  }

  readonly #fqdns = new Map<string, string>();

  #fromService(service: Service): void {
    const address = service.addresses?.find((candidate) => !candidate.includes(':')) ?? service.referer?.address;
    if (!address) return this.#note(`ignored ${service.name}: no address in the answer`);
    const device = deviceFromTxt(service.txt as Record<string, unknown> | undefined, address, service.port);
    if (!device) return this.#note(`ignored ${service.name} from ${address}: no id in its TXT record`);
    this.#fqdns.set(service.fqdn.toLowerCase(), device.id);
    this.#note(`saw ${device.name} (${device.model}) at ${address}:${device.port}${service.referer ? ` via ${service.referer.address}` : ''}`);
    this.#upsert(device);
  }

  #touchFqdn(fqdn: string): void {
    const id = this.#fqdns.get(fqdn.toLowerCase());
    if (id) this.#lastSeen.set(id, Date.now());
  }

  #idOf(fqdn: string): string | undefined {
    return this.#fqdns.get(fqdn.toLowerCase());
  }

  async #probeStatic(entry: StaticHost): Promise<void> {
    const { host, port, name } = typeof entry === 'string' ? parseHostPort(entry) : { port: 8009, ...entry };
    const id = `${host}:${port}`;
    const session = new CastSession({ host, port, requestTimeoutMs: 3000, logger: this.#logger });
    try {
      await session.connect();
      const status = await session.getStatus();
      const app = status.applications?.[0];
      if (!this.#running) return; // stopped while the probe was out
      this.#upsert({ id, name: name ?? id, model: 'Chromecast', host, port, capabilities: 0, status: app?.statusText ?? '', isGroup: false, source: 'static' });
    } catch (error) {
      this.#note(`static host ${id} did not answer: ${errorMessage(error)}`);
      if (this.#running && this.#devices.has(id)) this.#down(id, 'failed its probe');
    } finally {
      session.close();
    }
  }

  #upsert(device: CastDevice): void {
    this.#lastSeen.set(device.id, Date.now());
    const previous = this.#devices.get(device.id);
    this.#devices.set(device.id, device);
    if (!previous) {
      this.#logger.info(`Found ${device.isGroup ? 'Cast group' : device.model} "${device.name}" at ${device.host}:${device.port}`);
      this.emit('up', device);
    } else if (deviceChanged(previous, device)) {
      this.emit('changed', device, previous);
    }
  }

  #down(id: string, reason: string): void {
    const device = this.#devices.get(id);
    if (!device) return;
    this.#devices.delete(id);
    this.#lastSeen.delete(id);
    this.#note(`${device.name} is down: ${reason}`);
    this.#logger.info(`"${device.name}" went away: ${reason}`);
    this.emit('down', device, reason);
  }

  #every(ms: number, job: () => void): void {
    // Not unref'd: a started discovery is a live service, like a listening server, until stop().
    this.#timers.push(setInterval(job, ms));
  }

  #note(message: string): void {
    this.#logger.debug(`discovery: ${message}`);
    this.#notes.push({ at: Date.now(), message });
    if (this.#notes.length > 100) this.#notes.shift();
  }
}

/** `host`, `host:port`, `[v6]:port`, each optionally as `Name=…`. */
function parseHostPort(value: string): { host: string; port: number; name?: string } {
  const equals = value.indexOf('=');
  const name = equals > 0 ? value.slice(0, equals).trim() : undefined;
  const address = equals > 0 ? value.slice(equals + 1) : value;
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(address.trim());
  return { host: match?.[1] ?? address, port: match?.[2] ? Number(match[2]) : 8009, ...(name ? { name } : {}) };
}
