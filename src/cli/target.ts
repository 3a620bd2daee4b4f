// Where a subcommand's work is done: a running NasCast reached over its control
// channel (the one `nascast serve` noted in the storage folder, or --server), or,
// when none runs, a NasCast started in this process for the one command.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { consoleLogger, ControlClient, ControlError, defaultStorageDir, type DeviceSummary, isMediaUrl, type LibraryListing, loadSecrets, type Logger, type MediaPlayer, type MediaRootConfig, namesDevice, NasCast, type StaticHost, unknownDevice } from '../api.ts';
import { collectDevice, parseMedia, parseSeconds } from './options.ts';
import { controlUrlOf, readServer } from './server-file.ts';
import { givenToken, withTokenOptions, type TokenOptions } from './token-options.ts';

/** The options every subcommand that talks to NasCast takes. */
export interface TargetOptions extends TokenOptions {
  server?: string;
  storage: string;
  media: MediaRootConfig[];
  device: StaticHost[];
  discovery: boolean;
  wait: number;
  debug?: boolean;
}

/** Adds the options of {@link TargetOptions} to `command`. */
export function withTargetOptions(command: Command): Command {
  return withTokenOptions(command.option('--server <url>', 'a NasCast server to drive (http://nas:8585); default: the one `nascast serve` runs here, else none'), "the server's token (default: $NASCAST_TOKEN, else the one in the storage folder)")
    .option('--storage <dir>', 'the folder of the token file', defaultStorageDir())
    .option('-m, --media <[name=]dir>', 'with no server: a media folder to serve for this command, repeatable', parseMedia, [])
    .option('--device <[name=]host[:port]>', 'with no server: a Chromecast to reach by address ([name=]host[:port]), repeatable', collectDevice, [])
    .option('--no-discovery', 'with no server: do not look for Chromecasts over mDNS')
    .addOption(new Option('--wait <seconds>', 'with no server: how long to look for devices').argParser(parseSeconds).default(5))
    .option('--debug', 'log debug messages');
}

/** One command's connection to NasCast. */
export interface Target {
  /** `the server at ws://…` or `this process`, for messages. */
  readonly where: string;
  /** True when NasCast runs in this process: media is served only while it runs. */
  readonly inProcess: boolean;
  devices(): Promise<DeviceSummary[]>;
  /** A library folder's listing; the roots with no path. */
  list(folder?: string): Promise<LibraryListing>;
  player(device: string): Promise<MediaPlayer<string>>;
  close(): Promise<void>;
}

/** How long to wait for a server to answer before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 5000;

/** Connects to the noted or given server, or (with none, or `inProcess`) starts NasCast here. */
export async function openTarget(options: TargetOptions, how: { inProcess?: boolean } = {}): Promise<Target> {
  const logger = consoleLogger({ debug: options.debug ?? false });
  if (how.inProcess) return localTarget(options, logger);
  const noted = options.server ? undefined : await readServer(options.storage);
  if (options.server || noted) {
    const url = options.server ? controlUrlOf(options.server) : noted!.controlUrl;
    const token = (await givenToken(options)) ?? (await loadSecrets(options.storage, { warn: (message) => logger.warn(message) })).token;
    return remoteTarget(url, token);
  }
  return localTarget(options, logger);
}

async function remoteTarget(url: string, token: string): Promise<Target> {
  const client = new ControlClient({ url, token, requestTimeoutMs: 30_000 });
  // The client retries forever by design; a command gives up after a few seconds.
  const refused = new Promise<never>((_, reject) => client.once('error', reject));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ControlError('TIMEOUT', `cannot reach the NasCast server at ${url}: is \`nascast serve\` running there?`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), refused, deadline]);
  } catch (error) {
    client.close();
    if (error instanceof ControlError && error.code === 'UNAUTHORIZED') throw new ControlError('UNAUTHORIZED', `the server at ${url} refused the token: give the right one with --token, --token-file or $NASCAST_TOKEN (\`nascast token\` on that machine shows it)`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  refused.catch(() => {});
  client.on('error', () => {}); // later refusals surface as request errors
  return {
    where: `the server at ${url}`,
    inProcess: false,
    devices: () => client.devices(),
    list: async (folder) => (await client.list(folder)) as unknown as LibraryListing,
    player: (device) => client.player(device),
    close: () => Promise.resolve(client.close()),
  };
}

async function localTarget(options: TargetOptions, logger: Logger): Promise<Target> {
  const token = await givenToken(options);
  const cast = new NasCast({ media: options.media, port: 0, storage: options.storage, discovery: options.discovery, devices: options.device, logger: quiet(logger), rescanInterval: 0, ...(token ? { token } : {}) });
  await cast.start();
  const deadline = Date.now() + options.wait * 1000;
  const waitFor = async (found: () => boolean): Promise<void> => {
    while (!found() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  return {
    where: 'this process',
    inProcess: true,
    async devices() {
      // Everything answers in its own time: list what came within the wait.
      await waitFor(() => false);
      return cast.devices();
    },
    list(folder = '') {
      const listing = cast.server.listing(folder);
      if (listing) return Promise.resolve(listing);
      return Promise.reject(new ControlError('UNKNOWN_MEDIA', options.media.length === 0 ? 'no media folder is served: give one with --media, or start `nascast serve`' : `no folder '${folder}' in the library`));
    },
    async player(device) {
      await waitFor(() => cast.devices().some((candidate) => namesDevice(candidate, device)));
      const devices = cast.devices();
      if (!devices.some((candidate) => namesDevice(candidate, device))) throw unknownDevice(device, devices.map((candidate) => candidate.name));
      return cast.player(device);
    },
    close: () => cast.stop(),
  };
}

/** In a one-off command the server's start-up lines are noise: only warnings and errors pass. */
function quiet(logger: Logger): Logger {
  return { debug: (...args) => logger.debug(...args), info: (...args) => logger.debug(...args), warn: (...args) => logger.warn(...args), error: (...args) => logger.error(...args) };
}

/**
 * A file or folder on this machine's disk named in `cast`: served for the command as a
 * media folder of its own, and played by its library path.
 */
export function localMedia(argument: string): { root: MediaRootConfig; libraryPath: string } | undefined {
  if (isMediaUrl(argument)) return undefined;
  const absolute = path.resolve(argument);
  if (!existsSync(absolute)) return undefined;
  if (statSync(absolute).isDirectory()) {
    const name = path.basename(absolute) || 'Media';
    return { root: { name, path: absolute }, libraryPath: name };
  }
  const folder = path.dirname(absolute);
  const name = path.basename(folder) || 'Media';
  return { root: { name, path: folder }, libraryPath: `${name}/${path.basename(absolute)}` };
}
