import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The lowest port the kernel hands out for port 0 and outgoing connections (Linux's default when unreadable). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function listens(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port free at this moment, for a config file that must name one before the
 * server it is for starts (Homebridge's, the plugin's). Servers of our own take port 0.
 *
 * Picked at random below the kernel's ephemeral range: a port from port 0 was free when
 * asked but the kernel hands the same range to every other test's port-0 server and
 * outgoing connection, and one of them took it before the config's server listened
 * (`ERR_LISTEN` on a CI run). Below the range only another freePort() can collide, one
 * chance in thousands.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(10_000, high - 12_000);
  for (let tries = 0; tries < 50; tries += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await listens(port)) return port;
  }
  throw new Error(`no free loopback port between ${low} and ${high}`);
}
