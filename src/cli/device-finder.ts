import { DeviceDiscovery, type StaticHost } from '../discovery/index.ts';
import type { Logger } from '../logger.ts';
import { ChromecastSimulator } from '../simulator/simulator.ts';

/** What `nascast serve` looks for devices with. */
export interface DeviceFinderOptions {
  staticHosts?: readonly StaticHost[];
  interface?: string;
}

/** The stand-in a first run gets when no device answers. */
export interface SimulateOptions {
  /** When no device is up after this long, start a simulated one (so a first run shows the whole flow). */
  afterMs: number;
  /** Receiver apps the simulated device can run (app id → receiver page URL). */
  receiverApps?: Readonly<Record<string, string>>;
}

/**
 * Discovery for `nascast serve`, with an optional stand-in: a simulated Chromecast
 * on loopback when none is found. The simulator is not advertised (phones on the
 * LAN must not see a fake TV); discovery reaches it as a static host instead.
 */
export class DeviceFinder {
  readonly #logger: Logger;
  readonly discovery: DeviceDiscovery;
  #simulator: ChromecastSimulator | undefined;
  #simulatorStarting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(logger: Logger, options: DeviceFinderOptions = {}) {
    this.#logger = logger;
    this.discovery = new DeviceDiscovery({
      logger: this.#logger,
      staticHosts: options.staticHosts ?? [],
      ...(options.interface ? { interface: options.interface } : {}),
    });
  }

  start(simulate?: SimulateOptions): void {
    const discovery = this.discovery;
    discovery.start();
    if (!simulate) return;
    this.#timer = setTimeout(() => {
      if (discovery.devices.length > 0) return;
      this.#simulatorStarting = this.#startSimulator(discovery, simulate).catch((error: unknown) => {
        this.#logger.warn(`could not start the simulated Chromecast: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, simulate.afterMs);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.discovery.stop();
    await this.#simulatorStarting; // a simulator half-started must be stopped once it is up
    await this.#simulator?.stop();
  }

  async #startSimulator(discovery: DeviceDiscovery, simulate: SimulateOptions): Promise<void> {
    const simulator = new ChromecastSimulator({ name: 'NasCast Simulator', advertise: false, logger: this.#logger, ...(simulate.receiverApps ? { receiverApps: simulate.receiverApps } : {}) });
    this.#simulator = simulator;
    await simulator.start();
    if (this.#stopping) return; // stop() closes it
    this.#logger.info(`No Chromecast found within ${simulate.afterMs / 1000} s: started a simulated one on ${simulator.host}:${simulator.port}`);
    discovery.addStaticHost({ host: simulator.host, port: simulator.port, name: simulator.name });
  }
}
