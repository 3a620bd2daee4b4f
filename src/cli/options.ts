import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ConfigError, errorMessage, type Logger, type MediaRootConfig, type StaticHost } from '../api.ts';

/** A mistake in how the command was called, found after parsing: printed, exit code 2. */
export class UsageError extends ConfigError {
  override name = 'UsageError';
}

/** `--port`: 0 to 65535 (0 picks a free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number (0-65535).');
  return port;
}

/** `--media [Name=]<dir>`: the name defaults to the folder's own name. */
export function parseMedia(value: string, previous: MediaRootConfig[] = []): MediaRootConfig[] {
  const equals = value.indexOf('=');
  // `=dir` and a blank name are mistakes, not a folder whose name starts with `=`.
  const named = equals >= 0 && !value.slice(0, equals).includes(path.sep);
  const given = named ? value.slice(equals + 1) : value;
  if (named && value.slice(0, equals).trim() === '') throw new InvalidArgumentError(`expected a name before '=' (Name=<dir>), or the folder alone.`);
  // An empty path would resolve to the current folder, and serve it.
  if (given.trim() === '') throw new InvalidArgumentError(named ? `expected a folder after '${value}'.` : 'expected a folder.');
  const folder = path.resolve(given);
  const name = named ? value.slice(0, equals) : path.basename(folder) || folder;
  return [...previous, { name, path: folder }];
}

/** `--device [Name=]host[:port]` (an IPv6 address in brackets), checked and collected in order. */
export function collectDevice(value: string, previous: StaticHost[] = []): StaticHost[] {
  const equals = value.indexOf('=');
  const name = equals >= 0 ? value.slice(0, equals).trim() : undefined;
  const address = (equals >= 0 ? value.slice(equals + 1) : value).trim();
  if (name === '') throw new InvalidArgumentError(`expected a name before '=' (Name=host[:port]), or the address alone.`);
  const match = /^(?:\[([0-9a-fA-F:.]+(?:%[\w.-]+)?)\]|([^\s:/[\]@=]+))(?::(\d*))?$/.exec(address);
  if (!match) {
    const hint = address.split(':').length > 2 ? ' (an IPv6 address goes in brackets, as in [fe80::1]:8009)' : '';
    throw new InvalidArgumentError(`expected [name=]host[:port], not '${value}'${hint}.`);
  }
  const port = match[3] === undefined ? 8009 : Number(match[3]);
  if (match[3] === '' || !(port >= 1 && port <= 65535)) throw new InvalidArgumentError(`expected a port from 1 to 65535 after the host, not '${match[3]}'.`);
  return [...previous, { host: match[1] ?? match[2]!, port, ...(name ? { name } : {}) }];
}

/** A name something is shown and found by: not empty. */
export function parseName(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a name that is not empty.');
  return value;
}

/** `--simulate-if-none [seconds]`: a bare flag means 3 s (the preset). */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!(seconds >= 0 && seconds <= 3600)) throw new InvalidArgumentError('expected seconds (0-3600).');
  return seconds;
}

/** A count from 1 to 16 (`--max-conversions`). */
export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new InvalidArgumentError('expected a whole number from 1 to 16.');
  return count;
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** How long the stop asked for during start-up may take: start-up may be stuck in a call that nothing cancels. */
const STOP_DURING_START_MS = 2000;

/**
 * Runs a long-lived command: `start`, then waits for SIGINT or SIGTERM (or for `done`,
 * if given, to settle), then `stop`. Signals are watched before anything starts, so a
 * stop during start-up is clean too, and `stop` runs even when `start` failed half-way.
 * A signal during start-up does not wait for it (a slow disk, a hung mount): `stop` gets
 * a short while, and the process exits.
 */
export async function untilSignal(logger: Logger, lifecycle: { start(): Promise<void>; stop(): Promise<void>; done?: Promise<void> }): Promise<void> {
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.debug(`${signal}: stopping`);
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let starting: Promise<void> = Promise.resolve();
  let interrupted = false;
  try {
    starting = lifecycle.start();
    interrupted = await Promise.race([starting.then(() => false), stopped.then(() => true)]);
    if (!interrupted) await Promise.race([stopped, ...(lifecycle.done ? [lifecycle.done] : [])]);
  } finally {
    try {
      if (interrupted) await stopWithin(lifecycle.stop(), starting, logger);
      else await lifecycle.stop();
    } finally {
      // Only now: a second signal (npm passes on the Ctrl-C a terminal sent the whole
      // process group) must not kill the process half-way through its stop.
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  // What start-up still waits for would keep the process alive.
  if (interrupted) process.exit();
}

async function stopWithin(stopping: Promise<void>, starting: Promise<void>, logger: Logger): Promise<void> {
  starting.catch(() => {}); // settles, if ever, after the stop
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_DURING_START_MS)));
  await Promise.race([stopping.catch((error: unknown) => logger.debug(`stopping during start-up: ${errorMessage(error)}`)), deadline]);
  clearTimeout(timer);
}
