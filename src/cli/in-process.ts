// Where a command's work is done when no `nascast serve` runs: NasCast started in this
// process for the one command when there is media to serve (the --media folders, or
// the file `cast` names), else discovery alone, which lists and drives devices and
// casts URLs without a library.
import { Chromecasts, ControlError, DeviceDiscovery, isMediaUrl, type Logger, type MediaPlayer, namesDevice, NasCast, type PlayerStatus, probeMediaUrl, type Player, unknownDevice } from '../api.ts';
import { givenToken } from './token-options.ts';
import type { Target, TargetOptions } from './target.ts';

/** What `ls`, or a library path in `cast`, says with neither a server nor `--media`. */
export function noLibrary(): ControlError {
  return new ControlError('UNKNOWN_MEDIA', 'there is no library: no `nascast serve` runs here, and no --media folder was given: start `nascast serve --media <dir>`, or give --media <dir>');
}

/** Waits for `found` until `deadline` (epoch ms): devices answer in their own time. */
async function waitUntil(deadline: number, found: () => boolean): Promise<void> {
  while (!found() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** NasCast in this process, serving `options.media` while the command runs. */
export async function nasCastTarget(options: TargetOptions, logger: Logger): Promise<Target> {
  const token = await givenToken(options);
  const cast = new NasCast({ media: options.media, port: 0, storage: options.storage, discovery: options.discovery, devices: options.device, logger: quiet(logger), rescanInterval: 0, ...(token ? { token } : {}) });
  await cast.start();
  const deadline = Date.now() + options.wait * 1000;
  return {
    where: 'this process',
    inProcess: true,
    async devices() {
      // Everything answers in its own time: list what came within the wait.
      await waitUntil(deadline, () => false);
      return cast.devices();
    },
    list(folder = '') {
      const listing = cast.server.listing(folder);
      return listing ? Promise.resolve(listing) : Promise.reject(new ControlError('UNKNOWN_MEDIA', `no folder '${folder}' in the library`));
    },
    libraryStatus: () => Promise.resolve(cast.server.status()),
    // A command run once searches what this process has just scanned: once search knows it.
    search: async (query, limit) => (await cast.library.settled(), cast.server.search(query, limit)),
    continueWatching: (limit) => Promise.resolve(cast.server.continueWatching(limit)),
    async explain(media, options = {}) {
      // This process has just started: the devices answer within the wait, and the file is probed first.
      await cast.library.settled();
      await waitUntil(deadline, () => options.device !== undefined && cast.devices().some((candidate) => namesDevice(candidate, options.device!)));
      await cast.probed(media, 30_000);
      return cast.explain(media, options);
    },
    async player(device) {
      await waitUntil(deadline, () => cast.devices().some((candidate) => namesDevice(candidate, device)));
      const devices = cast.devices();
      if (!devices.some((candidate) => namesDevice(candidate, device))) throw unknownDevice(device, devices.map((candidate) => candidate.name));
      return cast.player(device);
    },
    close: () => cast.stop(),
  };
}

/**
 * Discovery alone, for a command with no library to serve (the library refuses to have
 * no folder): devices are listed and driven, and a URL plays, as NasCast would.
 */
export function discoveryTarget(options: TargetOptions, logger: Logger): Target {
  const quietLogger = quiet(logger);
  const discovery = new DeviceDiscovery({ logger: quietLogger, mdns: options.discovery, staticHosts: options.device });
  const chromecasts = new Chromecasts({ discovery, logger: quietLogger });
  let deadline: number | undefined;
  // Started on first use: `ls` needs no devices, and must not look for them.
  const started = (): number => {
    if (deadline === undefined) {
      discovery.start();
      deadline = Date.now() + options.wait * 1000;
    }
    return deadline;
  };
  return {
    where: 'this process',
    inProcess: true,
    async devices() {
      await waitUntil(started(), () => false);
      return chromecasts.devices();
    },
    list: () => Promise.reject(noLibrary()),
    libraryStatus: () => Promise.reject(noLibrary()),
    search: () => Promise.reject(noLibrary()),
    continueWatching: () => Promise.reject(noLibrary()),
    explain: () => Promise.reject(noLibrary()),
    async player(device) {
      await waitUntil(started(), () => chromecasts.devices().some((candidate) => namesDevice(candidate, device)));
      return urlPlayer(device, await chromecasts.player(device));
    },
    async close() {
      chromecasts.close();
      await discovery.stop();
    },
  };
}

/** A device's player whose `load` takes URLs only: there is no library to look a path up in. */
function urlPlayer(device: string, player: Player): MediaPlayer<string> {
  const wrapper: MediaPlayer<string> = {
    device,
    on: (event, listener: (status: PlayerStatus) => void) => (player.on(event, listener), wrapper),
    off: (event, listener: (status: PlayerStatus) => void) => (player.off(event, listener), wrapper),
    async load(what, options) {
      if (!isMediaUrl(what)) throw noLibrary();
      return player.load(await probeMediaUrl(what), options);
    },
    play: () => player.play(),
    pause: () => player.pause(),
    stop: () => player.stop(),
    seek: (position) => player.seek(position),
    seekBy: (seconds) => player.seekBy(seconds),
    setVolume: (level) => player.setVolume(level),
    setMuted: (muted) => player.setMuted(muted),
    next: () => player.next(),
    prev: () => player.prev(),
    status: () => player.status(),
  };
  return wrapper;
}

/** In a one-off command the server's start-up lines are noise: only warnings and errors pass. */
function quiet(logger: Logger): Logger {
  return { debug: (...args) => logger.debug(...args), info: (...args) => logger.debug(...args), warn: (...args) => logger.warn(...args), error: (...args) => logger.error(...args) };
}
