import dgram from 'node:dgram';
import os from 'node:os';

/**
 * The address of this machine on the interface that routes towards `target`: a
 * UDP socket "connected" to the target asks the kernel for the route and sends
 * nothing. `undefined` if there is no route.
 */
export async function addressTowards(target: string): Promise<string | undefined> {
  const socket = dgram.createSocket(target.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(9, target, () => resolve());
    });
    return socket.address().address;
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

/**
 * The first non-internal IPv4 address of this machine (else IPv6), for URLs when
 * no device is known yet. `undefined` on a machine with only loopback.
 */
export function primaryLanAddress(): string | undefined {
  const all = Object.values(os.networkInterfaces()).flat().filter((entry) => entry !== undefined);
  const usable = all.filter((entry) => !entry.internal);
  const v4 = usable.find((entry) => entry.family === 'IPv4');
  const v6 = usable.find((entry) => entry.family === 'IPv6' && !entry.address.startsWith('fe80'));
  return v4?.address ?? v6?.address;
}

/** Formats a host for a URL: IPv6 addresses go in brackets. */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
