import { Option, type Command } from 'commander';
import { consoleLogger, defaultStorageDir, type MediaRootConfig, NasCast } from '../api.ts';
import { collect, parseMedia, parsePort, parseSeconds, untilSignal } from './options.ts';
import { forgetServer, noteServer } from './server-file.ts';
import { StandInSimulator } from './stand-in.ts';
import { givenToken, withTokenOptions, type TokenOptions } from './token-options.ts';

interface ServeOptions extends TokenOptions {
  media: MediaRootConfig[];
  port: number;
  host: string;
  publicUrl?: string;
  storage: string;
  discovery: boolean;
  device: string[];
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
    .option('--device <[name=]host[:port]>', 'a Chromecast to reach by address where multicast does not pass, repeatable', collect, [])
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
      const nascast = new NasCast({
        media: options.media,
        port: options.port,
        host: options.host,
        storage: options.storage,
        discovery: options.discovery,
        devices: options.device,
        logger,
        ...(token ? { token } : {}),
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        ...(options.interface ? { interface: options.interface } : {}),
        ...(options.appId ? { appId: options.appId } : {}),
      });
      const standIn = new StandInSimulator(nascast.discovery, logger);
      await untilSignal(logger, {
        start: async () => {
          await nascast.start();
          logger.debug(`${nascast.library.size} media files; token file in ${options.storage}`);
          // Other subcommands on this machine find the server through this note.
          const local = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
          await noteServer(options.storage, { controlUrl: `ws://${local}:${nascast.server.port}/control`, pid: process.pid });
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
          await standIn.stop();
          await nascast.stop();
        },
      });
    });
}
