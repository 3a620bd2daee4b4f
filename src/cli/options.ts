import { InvalidArgumentError } from 'commander';
import type { Logger } from '../logger.ts';

/** `--port`: 0 to 65535 (0 picks a free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number (0-65535).');
  return port;
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Runs a long-lived command: `start`, then waits for SIGINT or SIGTERM, then
 * `stop`. Signals are watched before anything starts, so a stop during start-up
 * is clean too, and `stop` runs even when `start` failed half-way.
 */
export async function untilSignal(logger: Logger, lifecycle: { start(): Promise<void>; stop(): Promise<void> }): Promise<void> {
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
    await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lifecycle.stop();
  }
}
