// Where a subcommand's work is done: the `nascast serve` running here, reached over its
// local socket with no token (the one truth about devices and the library), a server
// given with --server and its token, or, when none runs, this process (in-process.ts).
import { Option, type Command } from 'commander';
import { consoleLogger, ControlClient, ControlError, defaultStorageDir, type DeviceSummary, type Explanation, type ItemEntry, type LibraryListing, type LibraryStatus, loadSecrets, type MediaPlayer, type MediaRootConfig, type StaticHost } from '../api.ts';
import { discoveryTarget, nasCastTarget } from './in-process.ts';
import { collectDevice, parseMedia, parseSeconds, UsageError } from './options.ts';
import { controlUrlOf, runningServers, type RunningServer } from './server-file.ts';
import { givenToken, tokenSource, withTokenOptions, type TokenOptions } from './token-options.ts';

/** The options every subcommand that talks to NasCast takes. */
export interface TargetOptions extends TokenOptions {
  /** With --server https://…: the SHA-256 fingerprint of its certificate. */
  fingerprint?: string;
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
  return withTokenOptions(command.option('--server <url>', 'a NasCast server to drive (http://nas:8585, https://nas:8585); default: the one `nascast serve` runs here, else none').option('--fingerprint <sha256>', "with an https:// server: its certificate's SHA-256 fingerprint, as `nascast serve` prints it"), "the server's token (default: $NASCAST_TOKEN, else the one in the storage folder; none for the server running here)")
    .option('--storage <dir>', 'the folder of the token file, where a server running here leaves its note and socket', defaultStorageDir())
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
  /** How much of the library is indexed and probed. */
  libraryStatus(): Promise<LibraryStatus>;
  /** Library items matching words, best first. */
  search(query: string, limit?: number): Promise<ItemEntry[]>;
  /** Items started and not finished, most recent first. */
  continueWatching(limit?: number): Promise<ItemEntry[]>;
  /** What a library file holds and what is done to it on each device (or one), and why. */
  explain(media: string, options?: { device?: string; audio?: string; subtitles?: string }): Promise<Explanation>;
  player(device: string): Promise<MediaPlayer<string>>;
  close(): Promise<void>;
}

/** Runs `work` against the target the options name, and closes it whatever happens. */
export async function withTarget<T>(options: TargetOptions, work: (target: Target) => Promise<T>): Promise<T> {
  const target = await openTarget(options);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

/** How long to wait for a server to answer before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 5000;

// A trusted listener lets controllers in whatever token they send: this one says what it is.
const LOCAL_TOKEN = 'local';

/**
 * The server given with --server; else the one running with this storage folder; else
 * NasCast in this process. Two or more running here is a usage error: they may serve
 * other folders and reach other devices, and a command must not guess which was meant.
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  const logger = consoleLogger({ debug: options.debug ?? false });
  const servers = await runningServers(options.storage);
  if (options.server) {
    // A server running here, named by its address: its local socket, with no token or
    // certificate to give. A token given says the port is meant (a remote's view of it).
    const here = tokenSource(options) === undefined ? servers.find((server) => sameServer(server, options.server!)) : undefined;
    return here ? notedServerTarget(here, options) : givenServerTarget(options);
  }
  if (servers.length > 1) throw severalServers(servers, options.storage);
  if (servers[0]) return notedServerTarget(servers[0], options);
  return options.media.length > 0 ? nasCastTarget(options, logger) : discoveryTarget(options, logger);
}

/** Two or more servers run here: name them, and how to pick one. */
export function severalServers(servers: readonly RunningServer[], storage: string): UsageError {
  return new UsageError(`${servers.length} nascast servers run with the storage folder ${storage}: say which with ${servers.map((server) => `--server ${server.url}`).join(' or ')}`);
}

/** True when `given` (an http(s):// or ws(s):// address) is this machine's address of `server`. */
function sameServer(server: RunningServer, given: string): boolean {
  let url: URL;
  try {
    url = new URL(controlUrlOf(given));
  } catch {
    return false;
  }
  const port = url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
  return port === server.port && [new URL(server.url).hostname, '127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The server given with --server, over TCP, with the token given or stored. */
export async function givenServerTarget(options: TargetOptions): Promise<Target> {
  const url = controlUrlOf(options.server!);
  return connectedTarget(url, await tokenOf(options), `the server at ${url}`, options.fingerprint);
}

/** A server running here: over its socket, with no token; over its port, with the token, if it has no socket. */
export async function notedServerTarget(server: RunningServer, options: TargetOptions): Promise<Target> {
  if (server.socket === undefined) return connectedTarget(server.controlUrl, await tokenOf(options), `the server at ${server.controlUrl}`, server.fingerprint);
  // Named as before the socket (by its control channel), which scripts may read in `cast --json`.
  return connectedTarget(`ws+unix:${server.socket}:/control`, LOCAL_TOKEN, `the server at ${server.controlUrl}`);
}

async function tokenOf(options: TargetOptions): Promise<string> {
  const logger = consoleLogger({ debug: options.debug ?? false });
  return (await givenToken(options)) ?? (await loadSecrets(options.storage, { warn: (message) => logger.warn(message) })).token;
}

async function connectedTarget(url: string, token: string, where: string, fingerprint?: string): Promise<Target> {
  const client = new ControlClient({ url, token, requestTimeoutMs: 30_000, ...(fingerprint ? { fingerprint } : {}) });
  // The client retries forever by design; a command gives up after a few seconds.
  const refused = new Promise<never>((_, reject) => client.once('error', reject));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ControlError('TIMEOUT', `cannot reach the NasCast ${where.replace(/^the /, '')}: is \`nascast serve\` running there?`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), refused, deadline]);
  } catch (error) {
    client.close();
    if (error instanceof ControlError && error.code === 'UNAUTHORIZED' && /not the one pinned/.test(error.message)) throw error;
    if (error instanceof ControlError && error.code === 'UNAUTHORIZED' && /in clear/.test(error.message)) throw new ControlError('UNAUTHORIZED', `${where} takes the token only over HTTPS: give --server https://… (and --fingerprint, as \`nascast serve\` prints it)`);
    if (error instanceof ControlError && error.code === 'UNAUTHORIZED') throw new ControlError('UNAUTHORIZED', `${where} refused the token: give the right one with --token, --token-file or $NASCAST_TOKEN (\`nascast token\` on that machine shows it)`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  refused.catch(() => {});
  client.on('error', () => {}); // later refusals surface as request errors
  return {
    where,
    inProcess: false,
    devices: () => client.devices(),
    list: async (folder) => (await client.list(folder)) as unknown as LibraryListing,
    libraryStatus: async () => (await client.libraryStatus()) as unknown as LibraryStatus,
    search: async (query, limit) => itemsOf(await client.search(query, limit)),
    continueWatching: async (limit) => itemsOf(await client.continueWatching(limit)),
    explain: async (media, explainOptions) => (await client.explain(media, explainOptions)) as unknown as Explanation,
    player: (device) => client.player(device),
    close: () => Promise.resolve(client.close()),
  };
}

function itemsOf(result: Record<string, unknown> | undefined): ItemEntry[] {
  return Array.isArray(result?.items) ? (result.items as ItemEntry[]) : [];
}
