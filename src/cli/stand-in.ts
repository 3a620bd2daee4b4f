import { type DeviceDiscovery, errorMessage, type Logger } from '../api.ts';
import { ChromecastSimulator } from '../simulator/index.ts';

/** When and how `nascast serve` starts a stand-in Chromecast. */
export interface StandInOptions {
  /** When no device is up after this long, start a simulated one (so a first run shows the whole flow). */
  afterMs: number;
  /** Receiver apps the simulated device can run (app id → receiver page URL). */
  receiverApps?: Readonly<Record<string, string>>;
}

/**
 * A simulated Chromecast on loopback for a first run that finds none. It is not
 * advertised (phones on the LAN must not see a fake TV); discovery reaches it as a
 * static host instead.
 */
export class StandInSimulator {
  readonly #logger: Logger;
  readonly #discovery: DeviceDiscovery;
  #simulator: ChromecastSimulator | undefined;
  #starting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(discovery: DeviceDiscovery, logger: Logger) {
    this.#discovery = discovery;
    this.#logger = logger;
  }

  /** Waits `afterMs`, then starts the simulator if discovery has found nothing. */
  arm(options: StandInOptions): void {
    this.#timer = setTimeout(() => {
      if (this.#discovery.devices.length > 0) return;
      this.#starting = this.#start(options).catch((error: unknown) => {
        this.#logger.warn(`could not start the simulated Chromecast: ${errorMessage(error)}`);
      });
    }, options.afterMs);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#starting; // a simulator half-started must be stopped once it is up
    await this.#simulator?.stop();
  }

  async #start(options: StandInOptions): Promise<void> {
    const simulator = new ChromecastSimulator({ name: 'NasCast Simulator', advertise: false, logger: this.#logger, ...(options.receiverApps ? { receiverApps: options.receiverApps } : {}) });
    this.#simulator = simulator;
    await simulator.start();
    if (this.#stopping) return; // stop() closes it
    this.#logger.info(`No Chromecast found within ${options.afterMs / 1000} s: started a simulated one on ${simulator.host}:${simulator.port}`);
    this.#discovery.addStaticHost({ host: simulator.host, port: simulator.port, name: simulator.name });
  }
}
