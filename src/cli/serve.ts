import path from 'node:path';
import { Option, type Command } from 'commander';
import { consoleLogger, defaultStorageDir, errnoCode, errorMessage, loadSecrets, type Logger, type MediaRootConfig, NasCast, type StaticHost } from '../api.ts';
import { collectDevice, parseMedia, parsePort, parseSeconds, untilSignal } from './options.ts';
import { forgetServer, noteServer, SERVER_FILE } from './server-file.ts';
import { StandInSimulator } from './stand-in.ts';
import { givenToken, withTokenOptions, type TokenOptions } from './token-options.ts';

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
    .option('--public-url <url>', 'base URL devices use to reach this server (reverse proxy, NAT)')
    .option('--storage <dir>', 'folder for the token file', defaultStorageDir())
    .option('--no-discovery', 'do not look for Chromecasts on the network')
    .option('--device <[name=]host[:port]>', 'a Chromecast to reach by address where multicast does not pass, repeatable', collectDevice, [])
    .option('--interface <address>', 'the interface address to look for Chromecasts on')
    .option('--app-id <id>', 'the Cast app id registered for the NasCast receiver (default: the Default Media Receiver)')
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
          });
          standIn = new StandInSimulator(nascast.discovery, logger);
          await nascast.start();
          logger.debug(`${nascast.library.size} media files; token file in ${options.storage}`);
          // Other subcommands on this machine find the server through this note; it is a
          // convenience, and a read-only storage folder must not stop the server.
          const local = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
          const localUrl = `http://${local}:${nascast.server.port}`;
          await noteServer(options.storage, { controlUrl: `ws://${local}:${nascast.server.port}/control`, pid: process.pid }).catch((error: unknown) => {
            logger.warn(`cannot leave the note ${path.join(options.storage, SERVER_FILE)} (${errnoCode(error) ?? errorMessage(error)}): other nascast commands on this machine reach this server only with --server ${localUrl}`);
          });
          console.log(`NasCast listening on ${nascast.url}`);
          console.log(`Control channel: ${nascast.control.url()}`);
          // A link with a register-only token: it lets a screen join as a device, and controls nothing.
          console.log(`Open this on any screen to cast to it: ${nascast.control.receiverPageUrl('Browser')}`);
          if (!options.discovery) return logger.debug('discovery is off');
          if (options.simulateIfNone === undefined) return;
          // The stand-in device runs our receiver page for the app id, as a registered app would.
          const receiverApps = options.appId ? { [options.appId]: `${nascast.url}/receiver/` } : undefined;
          standIn.arm({ afterMs: options.simulateIfNone * 1000, ...(receiverApps ? { receiverApps } : {}) });
        },
        stop: async () => {
          await forgetServer(options.storage).catch(() => {});
          await standIn?.stop();
          await nascast?.stop();
        },
        // Run by npm (`npm start`), the server lives as long as npm does: a supervisor that
        // stops npm alone, or with a signal npm does not pass on, must not leave it running.
        ...(process.env.npm_lifecycle_event === undefined ? {} : { done: parentGone(logger) }),
      });
    });
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
