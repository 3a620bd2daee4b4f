import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ConfigError, type Logger, type MediaRootConfig } from '../api.ts';

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
  const named = equals > 0 && !value.slice(0, equals).includes(path.sep);
  const folder = path.resolve(named ? value.slice(equals + 1) : value);
  const name = named ? value.slice(0, equals) : path.basename(folder) || folder;
  return [...previous, { name, path: folder }];
}

/** `--simulate-if-none [seconds]`: a bare flag means 3 s (the preset). */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!(seconds >= 0 && seconds <= 3600)) throw new InvalidArgumentError('expected seconds (0-3600).');
  return seconds;
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Runs a long-lived command: `start`, then waits for SIGINT or SIGTERM (or for `done`,
 * if given, to settle), then `stop`. Signals are watched before anything starts, so a
 * stop during start-up is clean too, and `stop` runs even when `start` failed half-way.
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
  try {
    await lifecycle.start();
    await Promise.race([stopped, ...(lifecycle.done ? [lifecycle.done] : [])]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lifecycle.stop();
  }
}
