import { Option, type Command } from 'commander';
import { consoleLogger, defaultStorageDir, errnoCode, errorMessage, loadSecrets, type Logger, type MediaRootConfig, NasCast, type StaticHost, type VideoEncoderChoice } from '../api.ts';
import { realRoots } from './local-media.ts';
import { listenLocally, type LocalSocket, SocketInUseError } from './local-socket.ts';
import { collectDevice, parseCount, parseMedia, parsePort, parseSeconds, untilSignal, UsageError } from './options.ts';
import { forgetServer, notePath, noteServer, socketPath } from './server-file.ts';
import { StandInSimulator } from './stand-in.ts';
import { givenToken, tokenSource, withTokenOptions, type TokenOptions } from './token-options.ts';

interface ServeOptions extends TokenOptions {
  media: MediaRootConfig[];
  port: number;
  host: string;
  publicUrl?: string;
  storage: string;
  discovery: boolean;
  device: StaticHost[];
  interface?: string;
  simulateIfNone?: number;
  appId?: string;
  debug?: boolean;
  tls?: boolean;
  cert?: string;
  key?: string;
  maxConversions?: number;
  audioLanguage?: string;
  videoEncoder?: VideoEncoderChoice;
}

/** Adds `nascast serve`. */
export function serveCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('serve media folders to Chromecasts and browsers')
    .requiredOption('-m, --media <[name=]dir>', 'a media folder, repeatable; the name defaults to the folder name', parseMedia)
    .option('-p, --port <port>', 'port for HTTP and the control channel', parsePort, 8585)
    .option('--host <address>', 'address to listen on', '0.0.0.0');
  withTokenOptions(command, 'the API token to use instead of the stored one')
    .option('--tls', 'HTTPS and wss:// for the web page, the API and controllers: the default')
    .option('--no-tls', 'plain HTTP for the web page, the API and controllers too (by default they use HTTPS and wss:// with a self-signed certificate, made once and kept in the storage folder; devices keep HTTP for media)')
    .option('--cert <file>', 'with HTTPS: your PEM certificate (with its chain) instead of a self-signed one; needs --key')
    .option('--key <file>', 'the PEM private key of --cert')
    .option('--public-url <url>', 'base URL devices use to reach this server (reverse proxy, NAT)')
    .option('--storage <dir>', 'folder for the token file, and the note and socket other nascast commands here find this server by', defaultStorageDir())
    .option('--no-discovery', 'do not look for Chromecasts on the network')
    .option('--device <[name=]host[:port]>', 'a Chromecast to reach by address where multicast does not pass, repeatable', collectDevice, [])
    .option('--interface <address>', 'the interface address to look for Chromecasts on')
    .option('--app-id <id>', 'the Cast app id registered for the NasCast receiver (default: the Default Media Receiver)')
    .addOption(new Option('--max-conversions <n>', 'files converted at once for devices that cannot play them as they are (default: the CPU count)').argParser(parseCount))
    .option('--audio-language <lang>', 'the audio track to play when a film has several (fr, fre, French)')
    .addOption(new Option('--video-encoder <encoder>', 'the H.264 encoder of video conversions: auto uses VAAPI, QSV or V4L2 M2M when it works, else libx264').choices(['auto', 'libx264', 'vaapi', 'qsv', 'v4l2m2m']).default('auto'))
    .addOption(new Option('--simulate-if-none [seconds]', 'start a simulated Chromecast if none is found within this time').preset('3').argParser(parseSeconds))
    .option('--debug', 'log debug messages')
    .addHelpText(
      'after',
      `
Examples:
  $ nascast serve --media /mnt/nas/films
  $ nascast serve --media Films=/mnt/nas/films --media Music=/mnt/nas/music --port 9000
  $ nascast serve --media /mnt/nas/films --device 10.0.20.31 --device 10.0.20.40:32187
  $ nascast serve --media examples/media/Films --simulate-if-none
  $ NASCAST_TOKEN=… nascast serve --media /mnt/nas/films   (a token of your own, not in ps)`,
    )
    .action(async (options: ServeOptions) => {
      const logger = consoleLogger({ debug: options.debug ?? false });
      const token = await givenToken(options);
      let nascast: NasCast | undefined;
      let standIn: StandInSimulator | undefined;
      let local: LocalSocket | undefined;
      let port: number | undefined;
      await untilSignal(logger, {
        start: async () => {
          // Loaded here rather than by NasCast, so that a mode it cannot tighten is our warning.
          const secrets = await loadSecrets(options.storage, { warn: (message) => logger.warn(message) });
          nascast = new NasCast({
            media: options.media,
            port: options.port,
            host: options.host,
            storage: options.storage,
            secrets,
            discovery: options.discovery,
            devices: options.device,
            logger,
            ...(token ? { token } : {}),
            ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
            ...(options.interface ? { interface: options.interface } : {}),
            ...(options.appId ? { appId: options.appId } : {}),
            ...(options.maxConversions === undefined ? {} : { maxConversions: options.maxConversions }),
            ...(options.audioLanguage ? { audioLanguage: options.audioLanguage } : {}),
            ...(options.videoEncoder ? { videoEncoder: options.videoEncoder } : {}),
            ...(tlsOf(options) === undefined ? {} : { tls: tlsOf(options)! }),
          });
          standIn = new StandInSimulator(nascast.discovery, logger);
          await nascast.start();
          port = nascast.server.port;
          logger.debug(`${nascast.library.size} media files; token file in ${options.storage}`);
          local = await announceLocally(nascast, options, port, logger);
          console.log(`NasCast listening on ${nascast.url}`);
          // With HTTPS, controllers (and their token) use wss://; receiver pages keep ws:// with receiver tokens.
          console.log(`Control channel: ${nascast.fingerprint ? `${nascast.peopleUrl.replace(/^https/, 'wss')}/control` : nascast.control.url()}`);
          if (nascast.fingerprint) console.log(`HTTPS for the web page and controllers: ${nascast.peopleUrl}/ (certificate SHA-256 fingerprint ${nascast.fingerprint}: pin it with --fingerprint)`);
          // A link with a register-only token: it lets a screen join as a device, and controls nothing.
          console.log(`Open this on any screen to cast to it: ${nascast.control.receiverPageUrl('Browser')}`);
          if (!options.discovery) return logger.debug('discovery is off');
          if (options.simulateIfNone === undefined) return;
          // The stand-in device runs our receiver page for the app id, as a registered app would.
          const receiverApps = options.appId ? { [options.appId]: `${nascast.url}/receiver/` } : undefined;
          standIn.arm({ afterMs: options.simulateIfNone * 1000, ...(receiverApps ? { receiverApps } : {}) });
        },
        stop: async () => {
          if (port !== undefined) await forgetServer(options.storage, port).catch(() => {});
          // The hub's stop ends the sockets that came through the local socket: both at once.
          const closing = local?.close().catch((error: unknown) => logger.debug(`closing the local socket: ${errorMessage(error)}`));
          await standIn?.stop();
          await nascast?.stop();
          await closing;
        },
        // Run by npm (`npm start`), the server lives as long as npm does: a supervisor that
        // stops npm alone, or with a signal npm does not pass on, must not leave it running.
        ...(process.env.npm_lifecycle_event === undefined ? {} : { done: parentGone(logger) }),
      });
    });
}

/**
 * Listens on the local socket and leaves the note other commands on this machine find
 * this server by: conveniences both, so that a read-only storage folder does not stop
 * the server, which then says how it can be reached.
 */
async function announceLocally(nascast: NasCast, options: ServeOptions, port: number, logger: Logger): Promise<LocalSocket | undefined> {
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  // With HTTPS, a command reaching this server over its port needs https:// and the fingerprint.
  const reach = nascast.fingerprint ? `https://${host}:${port} --fingerprint ${nascast.fingerprint}` : url;
  const socket = socketPath(options.storage, port);
  let local: LocalSocket | undefined;
  let problem: string | undefined;
  try {
    local = await listenLocally(socket, (server) => nascast.control.hub.attach(server, { trusted: true }));
  } catch (error) {
    // Its note, of the same name, is that server's, not ours to write over.
    if (error instanceof SocketInUseError) {
      logger.warn(`another nascast server with this storage folder has port ${port} (on another address) and its local socket: other nascast commands on this machine reach this server only with --server ${reach}`);
      return undefined;
    }
    problem = errnoCode(error) ?? errorMessage(error);
  }
  const tokenGiven = tokenSource(options);
  try {
    const tcp = nascast.fingerprint ? { controlUrl: `wss://${host}:${port}/control`, fingerprint: nascast.fingerprint } : { controlUrl: `ws://${host}:${port}/control` };
    await noteServer(options.storage, { pid: process.pid, port, url, ...tcp, roots: await realRoots(options.media), ...(local ? { socket: local.path } : {}), ...(tokenGiven ? { tokenGiven } : {}) });
  } catch (error) {
    logger.warn(`cannot leave the note ${notePath(options.storage, port)} (${errnoCode(error) ?? errorMessage(error)}): other nascast commands on this machine reach this server only with --server ${reach}`);
    return local;
  }
  if (problem) logger.warn(`cannot listen on the local socket ${socket} (${problem}): other nascast commands on this machine reach this server over its port, with its token`);
  return local;
}

/** Resolves once the process that started this one is gone (this one has a new parent then). */
function parentGone(logger: Logger): Promise<void> {
  const parent = process.ppid;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(timer);
      logger.info(`The process that started this server (pid ${parent}) is gone: stopping`);
      resolve();
    }, 500);
    timer.unref();
  });
}

/** HTTPS unless --no-tls: self-signed, or --cert and --key (your certificate), as NasCast's tls option. */
function tlsOf(options: ServeOptions): true | { certFile: string; keyFile: string } | undefined {
  if (options.cert === undefined && options.key === undefined) return options.tls === false ? undefined : true;
  if (options.tls === false) throw new UsageError('--no-tls turns HTTPS off: leave out --cert and --key, or --no-tls');
  if (options.cert === undefined || options.key === undefined) throw new UsageError('--cert and --key go together: the certificate and its private key');
  return { certFile: options.cert, keyFile: options.key };
}
