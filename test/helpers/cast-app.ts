import type { ExecutionContext } from 'ava';
import { ControlClient } from '../../src/control/client.ts';
import { DeviceDiscovery } from '../../src/discovery/index.ts';
import { Chromecasts } from '../../src/players/chromecasts.ts';
import { combineDirectories } from '../../src/players/directory.ts';
import { mountControl, type MountedControl } from '../../src/players/mount.ts';
import type { MediaLibraryOptions } from '../../src/library/library.ts';
import { silentLogger } from '../../src/logger.ts';
import type { ControlStatus } from '../../src/protocol/index.ts';
import type { ChromecastSimulator } from '../../src/simulator/index.ts';
import { eventually, startMediaServer, type FileTree, type TestServer } from './media-server.ts';
import { startSimulator } from './simulator.ts';

/** The app id the simulator runs our receiver page for. */
export const APP_ID = 'NASCAST1';

/** NasCast with our receiver app on a simulated Chromecast, reached as a static host (no mDNS). */
export interface CastApp {
  media: TestServer;
  simulator: ChromecastSimulator;
  control: MountedControl;
  client: ControlClient;
  /** The hub key of the simulator. */
  device: string;
  /** Every status a controller subscribed to the device saw. */
  statuses: ControlStatus[];
  /** What the simulator warned of: uncaught errors in the receiver page among them. */
  warnings: string[];
}

/** Starts it all, stopped when the test ends; the controller is subscribed to the device. */
export async function startCastApp(t: ExecutionContext, files: FileTree, options: { library?: Partial<MediaLibraryOptions> } = {}): Promise<CastApp> {
  const media = await startMediaServer(t, files, options);
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
  const simulator = await startSimulator(t, { name: 'Living Room TV', receiverApps: { [APP_ID]: `${media.origin}/receiver/` }, appStartTimeoutMs: 30_000, logger });
  const discovery = new DeviceDiscovery({ mdns: false, staticHosts: [{ host: simulator.host, port: simulator.port, name: simulator.name }] });
  t.teardown(() => discovery.stop());
  const { control } = mountCastControl(t, media, discovery);
  const client = new ControlClient({ url: `ws://127.0.0.1:${media.server.port}/control`, token: media.secrets.token, requestTimeoutMs: 40_000 });
  t.teardown(() => client.close());
  await client.connect();
  discovery.start();
  const device = await staticDevice(client);
  const statuses: ControlStatus[] = [];
  client.on('status', (from, status) => from === device && statuses.push(status));
  await client.subscribe(device);
  return { media, simulator, control, client, device, statuses, warnings };
}

/**
 * Mounts the control on `media` with Chromecasts that launch our receiver app on what
 * `discovery` finds; `controlUrl` is where the page reaches the hub (a test may put a
 * proxy between them). Closed when the test ends.
 */
export function mountCastControl(
  t: ExecutionContext,
  media: TestServer,
  discovery: DeviceDiscovery,
  options: { controlUrl?: () => string; receiverTimeoutMs?: number } = {},
): { control: MountedControl; chromecasts: Chromecasts } {
  let chromecasts!: Chromecasts;
  const control = mountControl(media.server, {
    secrets: media.secrets,
    name: 'Family NAS',
    heartbeatMs: 1000,
    directory: (targets, link) => {
      chromecasts = new Chromecasts({
        discovery,
        appId: APP_ID,
        control: { ...link, url: () => options.controlUrl?.() ?? `ws://127.0.0.1:${media.server.port}/control` },
        session: { heartbeatIntervalMs: 200, pongTimeoutMs: 1000, reconnectInitialMs: 50, reconnectMaxMs: 500, launchTimeoutMs: 30_000 },
        receiverTimeoutMs: options.receiverTimeoutMs ?? 30_000,
        // As NasCast does: our page on the device says what it plays.
        receivers: () => link.hub.receivers,
      });
      return combineDirectories(chromecasts, targets);
    },
  });
  t.teardown(async () => {
    chromecasts.close();
    await control.close();
  });
  return { control, chromecasts };
}

/** The hub key of the simulator reached as a static host (`host:port`), once discovery lists it. */
export async function staticDevice(client: ControlClient): Promise<string> {
  let id: string | undefined;
  await eventually(async () => (id = (await client.devices()).find((found) => found.name === 'Living Room TV')?.id) !== undefined, 10_000, 'the static host listed');
  return id!;
}

/** A check for `eventually`: the last status seen matches. */
export const lastStatus = (statuses: readonly ControlStatus[], match: (status: ControlStatus) => boolean) => (): boolean => statuses.length > 0 && match(statuses.at(-1)!);
