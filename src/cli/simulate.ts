import { InvalidArgumentError, type Command } from 'commander';
import { consoleLogger, errnoCode } from '../api.ts';
import { ChromecastSimulator, DEFAULT_DEVICE_MODEL, DEVICE_MODELS, type DeviceModelId } from '../simulator/index.ts';
import { collect, parseName, parsePort, untilSignal, UsageError } from './options.ts';

interface SimulateOptions {
  name: string;
  port?: number;
  host: string;
  group?: boolean;
  model?: DeviceModelId;
  member: string[];
  httpPort?: number;
  advertise: boolean;
  interface?: string;
  refuseApp: string[];
  app: Record<string, string>;
  chromium?: string;
  debug?: boolean;
}

/** `--app <appId>=<url>`: a receiver app the simulated device runs in headless Chromium. */
function parseApp(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf('=');
  const appId = value.slice(0, equals);
  const url = value.slice(equals + 1);
  if (equals <= 0 || !/^https?:\/\//.test(url)) throw new InvalidArgumentError('expected <appId>=<http(s) URL of the receiver page>.');
  return { ...previous, [appId]: url };
}

/** `--model <id>`: one of Google's support-table models. */
function parseModel(value: string): DeviceModelId {
  if (!DEVICE_MODELS.has(value as DeviceModelId)) throw new InvalidArgumentError(`expected one of ${[...DEVICE_MODELS.keys()].join(', ')}.`);
  return value as DeviceModelId;
}

/** Adds `nascast simulate`: a Chromecast on the command line, until Ctrl-C. */
export function simulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run a simulated Chromecast that senders (NasCast, castnow, catt, pychromecast; not Google\'s own, which need device authentication) find and cast to')
    .option('-n, --name <name>', 'the name it is found by', parseName, 'NasCast Simulator')
    .option('-p, --port <port>', 'castv2 port (default: 8009, or a free port for a group)', parsePort)
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--group', 'simulate a Cast group (md: Google Cast Group) rather than a device')
    .option('--model <model>', `the device it plays as, by Google's supported-media table: ${[...DEVICE_MODELS.keys()].join(', ')} (default ${DEFAULT_DEVICE_MODEL}; group with --group)`, parseModel)
    .option('--member <name>', 'with --group: a device in the group (its name or id), repeatable; the group lists them in its multizone status', collect, [])
    .option('--http-port <port>', 'port of its HTTP setup API (/setup/eureka_info; devices use 8008; default: a free one)', parsePort)
    .option('--no-advertise', 'do not announce it over mDNS (reach it by host and port)')
    .option('--interface <address>', 'the interface address mDNS announces on')
    .option('--refuse-app <appId>', 'answer LAUNCH of this app id with NOT_FOUND, repeatable', collect, [])
    .option('--app <appId=url>', 'run this receiver page in headless Chromium when the app id is launched, repeatable', parseApp, {})
    .option('--chromium <path>', 'the Chromium that runs receiver apps', '/usr/bin/chromium')
    .option('--debug', 'log debug messages')
    .addHelpText(
      'after',
      `
It speaks castv2 over TLS with a self-signed certificate, runs the Default Media
Receiver with a playback clock (LOAD fetches the URL for real) and prints what
senders do to it. With --app, launching that app id opens its receiver page in
headless Chromium (needs playwright-core), with a stand-in for cast.framework.

Examples:
  $ nascast simulate --name "Test TV"
  $ nascast simulate --name "Whole House" --group
  $ nascast simulate --name "Old TV" --port 8010 --refuse-app 5C3F0A3C
  $ nascast simulate --name "Dev TV" --app 5C3F0A3C=http://192.168.1.20:8585/receiver/`,
    )
    .action(async (options: SimulateOptions) => {
      if (options.member.length > 0 && !options.group && options.model !== 'group') throw new UsageError('--member is for a group: add --group');
      const logger = consoleLogger({ debug: options.debug ?? false });
      const simulator = new ChromecastSimulator({
        name: options.name,
        port: options.port ?? (options.group ? 0 : 8009),
        host: options.host,
        group: options.group ?? false,
        ...(options.model ? { model: options.model } : {}),
        ...(options.member.length > 0 ? { members: options.member } : {}),
        ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
        advertise: options.advertise,
        refuseApps: options.refuseApp,
        receiverApps: options.app,
        logger,
        ...(options.chromium ? { chromiumPath: options.chromium } : {}),
        ...(options.interface ? { mdnsInterface: options.interface } : {}),
      });
      simulator.on('connection', (remote) => logger.info(`sender connected (${remote})`));
      simulator.on('launch', (appId) => logger.info(`launched app ${appId}`));
      simulator.on('app-message', (message) => logger.info(`message for ${message.appId} on ${message.namespace}`));
      let lastState: string | undefined;
      simulator.on('media-status', (status) => {
        const state = typeof status?.playerState === 'string' ? status.playerState : 'IDLE';
        if (state === lastState) return;
        lastState = state;
        const media = status?.media as { metadata?: { title?: unknown }; contentId?: unknown } | undefined;
        const title = media?.metadata?.title ?? media?.contentId;
        logger.info(`${state}${typeof title === 'string' && state !== 'IDLE' ? ` ${title}` : ''}`);
      });

      await untilSignal(logger, {
        start: async () => {
          try {
            await simulator.start();
          } catch (error) {
            if (errnoCode(error) === 'EADDRINUSE') throw new Error(`port ${options.port ?? 8009} is in use; choose another with --port`, { cause: error });
            throw error;
          }
          const kind = simulator.isGroup ? 'Cast group' : 'Chromecast';
          const advertised = options.advertise ? 'advertised over mDNS' : 'not advertised';
          console.log(`Simulated ${kind} "${simulator.name}" on ${simulator.host}:${simulator.port} (${advertised}), playing what a ${simulator.deviceModel.name} plays; Ctrl-C stops it`);
        },
        stop: () => simulator.stop(),
      });
    });
}
