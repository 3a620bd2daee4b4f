// Finds a Cast device the way a sender written against real devices does: a PTR query
// for _googlecast._tcp.local, then its SRV (port and target), TXT (fn) and the A record
// of the SRV target. No fallback to the packet's source address: the records must say
// where the device is (as pychromecast and castnow need).
import { createRequire } from 'node:module';

interface Answer {
  name: string;
  type: string;
  data: unknown;
}
interface Packet {
  answers?: Answer[];
  additionals?: Answer[];
}
interface MulticastDns {
  on(event: 'response', listener: (packet: Packet) => void): void;
  on(event: 'error' | 'warning', listener: (error: Error) => void): void;
  query(questions: Array<{ name: string; type: string }>): void;
  destroy(callback?: () => void): void;
}

// multicast-dns is CommonJS without types: required, with the shape above.
const multicastDns = createRequire(import.meta.url)('multicast-dns') as (options: Record<string, unknown>) => MulticastDns;

/** Where a Cast device is, read from its mDNS records. */
export interface FoundDevice {
  readonly instance: string;
  readonly target: string;
  readonly host: string;
  readonly port: number;
  readonly txt: Readonly<Record<string, string>>;
}

/** Asks on loopback until a device whose TXT `fn` is `name` has SRV, TXT and an A record for its target, or `ms` pass. */
export async function findCastDevice(name: string, ms: number): Promise<FoundDevice> {
  // Bound to any address so that it hears answers sent to the group; sending on loopback only.
  const mdns = multicastDns({ interface: '127.0.0.1', bind: '0.0.0.0', loopback: true });
  mdns.on('error', () => {});
  mdns.on('warning', () => {});
  const records: Answer[] = [];
  try {
    return await new Promise<FoundDevice>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Cast device named '${name}' answered with SRV, TXT and A records within ${ms} ms`)), ms);
      const ask = (): void => mdns.query([{ name: '_googlecast._tcp.local', type: 'PTR' }]);
      const again = setInterval(ask, 1000);
      mdns.on('response', (packet) => {
        records.push(...(packet.answers ?? []), ...(packet.additionals ?? []));
        const found = resolveDevice(records, name);
        if (found === undefined) return;
        clearTimeout(timer);
        clearInterval(again);
        resolve(found);
      });
      ask();
    });
  } finally {
    await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
  }
}

function resolveDevice(records: readonly Answer[], name: string): FoundDevice | undefined {
  for (const ptr of records.filter((record) => record.type === 'PTR' && record.name === '_googlecast._tcp.local')) {
    const instance = String(ptr.data);
    const txtRecord = records.find((record) => record.type === 'TXT' && record.name === instance);
    const txt = txtRecord && parseTxt(txtRecord.data);
    const srv = records.find((record) => record.type === 'SRV' && record.name === instance)?.data as { port: number; target: string } | undefined;
    const address = srv && records.find((record) => record.type === 'A' && record.name === srv.target);
    if (txt?.fn === name && srv && address) return { instance, target: srv.target, host: String(address.data), port: srv.port, txt };
  }
  return undefined;
}

function parseTxt(data: unknown): Record<string, string> {
  const entries = (Array.isArray(data) ? data : [data]).map((entry) => (Buffer.isBuffer(entry) ? entry.toString('utf8') : String(entry)));
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}
