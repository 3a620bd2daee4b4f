import { DeviceDiscovery, type StaticHost } from '../discovery/index.ts';
import type { Logger } from '../logger.ts';
import { ChromecastSimulator } from '../simulator/simulator.ts';

/** What `nascast serve` looks for devices with. */
export interface DeviceFinderOptions {
  staticHosts?: readonly StaticHost[];
  interface?: string;
  /** When no device is up after this long, start a simulated one (so a first run shows the whole flow). */
  simulateAfterMs?: number;
}

/**
 * Discovery for `nascast serve`, with an optional stand-in: a simulated Chromecast
 * on loopback when none is found. The simulator is not advertised (phones on the
 * LAN must not see a fake TV); discovery reaches it as a static host instead.
 */
export class DeviceFinder {
  readonly #logger: Logger;
  #discovery: DeviceDiscovery | undefined;
  #simulator: ChromecastSimulator | undefined;
  #simulatorStarting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  start(options: DeviceFinderOptions = {}): void {
    const discovery = new DeviceDiscovery({
      logger: this.#logger,
      staticHosts: options.staticHosts ?? [],
      ...(options.interface ? { interface: options.interface } : {}),
    });
    this.#discovery = discovery;
    discovery.start();
    if (options.simulateAfterMs === undefined) return;
    this.#timer = setTimeout(() => {
      if (discovery.devices.length > 0) return;
      this.#simulatorStarting = this.#startSimulator(discovery, options.simulateAfterMs!).catch((error: unknown) => {
        this.#logger.warn(`could not start the simulated Chromecast: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, options.simulateAfterMs);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#discovery?.stop();
    await this.#simulatorStarting; // a simulator half-started must be stopped once it is up
    await this.#simulator?.stop();
  }

  async #startSimulator(discovery: DeviceDiscovery, waitedMs: number): Promise<void> {
    const simulator = new ChromecastSimulator({ name: 'NasCast Simulator', advertise: false, logger: this.#logger });
    this.#simulator = simulator;
    await simulator.start();
    if (this.#stopping) return; // stop() closes it
    this.#logger.info(`No Chromecast found within ${waitedMs / 1000} s: started a simulated one on ${simulator.host}:${simulator.port}`);
    discovery.addStaticHost({ host: simulator.host, port: simulator.port, name: simulator.name });
  }
}
