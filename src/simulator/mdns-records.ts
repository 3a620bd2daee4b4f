import { networkInterfaces } from 'node:os';

/** The TXT record of a Cast device, as real ones send it. */
export interface CastTxt {
  id: string;
  cd: string;
  rm: string;
  ve: string;
  md: string;
  ic: string;
  fn: string;
  ca: string;
  st: string;
  bs: string;
  nf: string;
  rs: string;
}

/** What one Cast device advertises. */
export interface CastAdvertisement {
  /** The service instance name (`<model>-<id>`, see {@link castInstanceName}). */
  readonly instanceName: string;
  /** The SRV target: `<dashed-uuid>.local` on real devices. */
  readonly target: string;
  readonly port: number;
  /** The addresses of the SRV target: an A (or AAAA) record each. */
  readonly addresses: readonly string[];
  readonly txt: CastTxt;
}

/** A resource record as dns-packet encodes it. */
export interface MdnsRecord {
  name: string;
  type: 'PTR' | 'SRV' | 'TXT' | 'A' | 'AAAA';
  ttl: number;
  /** The cache-flush bit: set on records only this device owns (RFC 6762 §10.2). */
  flush?: boolean;
  data: unknown;
}

/** A question as dns-packet decodes it (a QU question's class reads `UNKNOWN_32769`: its class is not looked at). */
export interface MdnsQuestion {
  name: string;
  type: string;
  class?: string;
}

const SERVICE = '_googlecast._tcp.local';
const SERVICES = '_services._dns-sd._udp.local';
// TTLs as a Cast device sends them (a `_googlezone` capture: PTR and SRV 120 s, TXT 4500 s).
const TTL = 120;
const TXT_TTL = 4500;

/** A 32-hex-digit id as the dashed UUID devices use for the SRV target and `ssdp_udn`; any other id as it is. */
export function dashedUuid(id: string): string {
  const match = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i.exec(id);
  return match ? match.slice(1).join('-').toLowerCase() : id;
}

/**
 * The instance name as openscreen's `CalculateInstanceId` makes it: the model name with
 * spaces as dashes, cut to 20 bytes, a dash, the id; 63 bytes at most.
 */
export function castInstanceName(modelName: string, id: string): string {
  const model = Buffer.from(modelName.replaceAll(' ', '-')).subarray(0, 20).toString();
  return Buffer.from(`${model}-${id}`).subarray(0, 63).toString();
}

/**
 * The addresses a server listening on `host` is reached at: the host itself, or for a
 * wildcard every non-internal address of that family (IPv4 for `0.0.0.0`, both for
 * `::`), and loopback when there is no other.
 */
export function advertisedAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return [host];
  const families = host === '0.0.0.0' ? ['IPv4'] : ['IPv4', 'IPv6'];
  const found = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && families.includes(entry.family))
    .map((entry) => entry.address);
  return found.length > 0 ? [...new Set(found)] : ['127.0.0.1'];
}

/** Every record of one advertisement, by role. */
export function castRecords(advertisement: CastAdvertisement): { ptr: MdnsRecord; services: MdnsRecord; srv: MdnsRecord; txt: MdnsRecord; addresses: MdnsRecord[]; all: MdnsRecord[] } {
  const fqdn = `${advertisement.instanceName}.${SERVICE}`;
  const ptr: MdnsRecord = { name: SERVICE, type: 'PTR', ttl: TTL, data: fqdn };
  const services: MdnsRecord = { name: SERVICES, type: 'PTR', ttl: TTL, data: SERVICE };
  const srv: MdnsRecord = { name: fqdn, type: 'SRV', ttl: TTL, flush: true, data: { priority: 0, weight: 0, port: advertisement.port, target: advertisement.target } };
  const txt: MdnsRecord = { name: fqdn, type: 'TXT', ttl: TXT_TTL, flush: true, data: Object.entries(advertisement.txt).map(([key, value]) => `${key}=${value}`) };
  const addresses = advertisement.addresses.map((address): MdnsRecord => ({ name: advertisement.target, type: address.includes(':') ? 'AAAA' : 'A', ttl: TTL, flush: true, data: address }));
  return { ptr, services, srv, txt, addresses, all: [ptr, srv, txt, ...addresses] };
}

/**
 * The answers to a query's questions, and the additionals a resolver needs next (for
 * a PTR: SRV, TXT and the target's addresses; for an SRV: the addresses), each once.
 */
export function recordsFor(records: ReturnType<typeof castRecords>, questions: readonly MdnsQuestion[]): { answers: MdnsRecord[]; additionals: MdnsRecord[] } {
  const answers = new Set<MdnsRecord>();
  const additionals = new Set<MdnsRecord>();
  const fqdn = records.srv.name.toLowerCase();
  const target = (records.srv.data as { target: string }).target.toLowerCase();
  const wants = (question: MdnsQuestion, type: string): boolean => question.type === type || question.type === 'ANY';
  for (const question of questions) {
    const name = question.name.toLowerCase().replace(/\.$/, '');
    if (name === SERVICE && wants(question, 'PTR')) {
      answers.add(records.ptr);
      for (const record of [records.srv, records.txt, ...records.addresses]) additionals.add(record);
    } else if (name === SERVICES && wants(question, 'PTR')) {
      answers.add(records.services);
    } else if (name === fqdn) {
      if (wants(question, 'SRV')) answers.add(records.srv);
      if (wants(question, 'TXT')) answers.add(records.txt);
      if (wants(question, 'SRV')) for (const record of records.addresses) additionals.add(record);
    } else if (name === target) {
      for (const record of records.addresses) if (wants(question, record.type)) answers.add(record);
    }
  }
  return { answers: [...answers], additionals: [...additionals].filter((record) => !answers.has(record)) };
}
