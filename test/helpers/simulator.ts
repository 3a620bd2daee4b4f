import type { ExecutionContext } from 'ava';
import { CastSession, type CastSessionOptions } from '../../src/cast/index.ts';
import { ChromecastSimulator, type SimulatorOptions } from '../../src/simulator/index.ts';

/** A simulator on a free loopback port, not advertised unless asked, stopped when the test ends. */
export async function startSimulator(t: ExecutionContext, options: SimulatorOptions = {}): Promise<ChromecastSimulator> {
  const simulator = new ChromecastSimulator({ advertise: false, ...options });
  await simulator.start();
  t.teardown(() => simulator.stop());
  return simulator;
}

/** A connected session to `simulator` with short test deadlines, closed when the test ends. */
export async function connectSession(t: ExecutionContext, simulator: ChromecastSimulator, options: Partial<CastSessionOptions> = {}): Promise<CastSession> {
  const session = new CastSession({
    host: simulator.host,
    port: simulator.port,
    // A LOAD waits for the device to fetch and probe the media (an ffprobe process): seconds on a busy machine.
    requestTimeoutMs: 10_000,
    // A PONG late by a busy machine must not drop the connection (and the LOAD on it): tests of
    // the deadline itself pass their own.
    heartbeatIntervalMs: 250,
    pongTimeoutMs: 3000,
    reconnectInitialMs: 50,
    reconnectMaxMs: 500,
    ...options,
  });
  t.teardown(() => session.close());
  await session.connect();
  return session;
}

/** Resolves with the next `event` of `emitter`, or rejects after `ms`. */
export function nextEvent<T extends unknown[]>(emitter: { once(event: string, listener: (...args: T) => void): unknown; off(event: string, listener: (...args: T) => void): unknown }, event: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: T): void => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    emitter.once(event, listener);
  });
}
