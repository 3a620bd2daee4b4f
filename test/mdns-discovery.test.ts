import { createSocket, type Socket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import test, { type ExecutionContext } from 'ava';
import { Bonjour } from 'bonjour-service';
import { DeviceDiscovery, type CastDevice } from '../src/discovery/index.ts';
import { castInstanceName, dashedUuid } from '../src/simulator/advertiser.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { eventually } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real mDNS, so only inside the loopback-only namespace test/run.sh makes (this file is
// one of its MDNS_TESTS): the simulator's records as a device sends them, read by
// hand-made queries and by NasCast's discovery without its source-address fallback.

interface Record {
  name: string;
  type: string;
  ttl: number;
  data: unknown;
}
interface Response {
  answers: Record[];
  additionals: Record[];
}

/** A listener on 224.0.0.251:5353 over loopback: multicast-dns as bonjour-service makes it, bound to 0.0.0.0. */
function listener(t: ExecutionContext): EventEmitter {
  const bonjour = new Bonjour({ interface: '127.0.0.1', bind: '0.0.0.0' } as ConstructorParameters<typeof Bonjour>[0]);
  t.teardown(() => new Promise<void>((resolve) => bonjour.destroy(() => resolve())));
  const mdns = (bonjour as unknown as { server: { mdns: EventEmitter } }).server.mdns;
  mdns.on('warning', () => {});
  return mdns;
}

/** A query written byte by byte, since dns-packet cannot set the QU bit (RFC 6762 §5.4: the top bit of the class). */
function query(id: number, questions: ReadonlyArray<{ name: string; type: 'PTR' | 'SRV' | 'TXT' | 'A'; qu: boolean }>): Buffer {
  const types = { A: 1, PTR: 12, TXT: 16, SRV: 33 };
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(questions.length, 4);
  const parts = questions.map((question) => {
    const labels = question.name.split('.').map((label) => Buffer.concat([Buffer.from([Buffer.byteLength(label)]), Buffer.from(label)]));
    const tail = Buffer.alloc(5);
    tail.writeUInt16BE(types[question.type], 1);
    tail.writeUInt16BE(question.qu ? 0x8001 : 1, 3);
    return Buffer.concat([...labels, tail]);
  });
  return Buffer.concat([header, ...parts]);
}

/** A UDP socket sending to the mDNS group over loopback, from `port` (5353: a multicast querier; 0: a legacy unicast one). */
async function querier(t: ExecutionContext, port: number): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  t.teardown(() => socket.close());
  await new Promise<void>((resolve) => socket.bind(port, '0.0.0.0', resolve));
  socket.setMulticastInterface('127.0.0.1');
  return socket;
}

function nextResponse(mdns: EventEmitter, match: (response: Response) => boolean, ms = 3000): Promise<Response> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      mdns.off('response', onResponse);
      reject(new Error(`no matching mDNS response within ${ms} ms`));
    }, ms);
    const onResponse = (response: Response): void => {
      if (!match(response)) return;
      clearTimeout(timer);
      mdns.off('response', onResponse);
      resolve(response);
    };
    mdns.on('response', onResponse);
  });
}

test.serial('QU questions for SRV, TXT and A are answered by multicast with the records a device sends', async (t) => {
  if (!requireTestNamespace(t)) return;
  // With an interface given, the responder must still hear queries (bound to 0.0.0.0, not to the address).
  const simulator = await startSimulator(t, { name: 'Living Room', advertise: true, mdnsInterface: '127.0.0.1' });
  const instance = `${castInstanceName(simulator.model, simulator.id)}._googlecast._tcp.local`;
  const target = `${dashedUuid(simulator.id)}.local`;
  t.regex(instance, /^Chromecast-[0-9a-f]{32}\._googlecast/);
  const mdns = listener(t);
  const socket = await querier(t, 5353);
  // Past the announcements, so what arrives is an answer to this query.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const answered = nextResponse(mdns, (response) => response.answers.some((record) => record.type === 'A') && !response.answers.some((record) => record.type === 'PTR'));
  socket.send(query(0, [{ name: instance, type: 'SRV', qu: true }, { name: instance, type: 'TXT', qu: true }, { name: target, type: 'A', qu: true }]), 5353, '224.0.0.251');
  const { answers } = await answered;
  const srv = answers.find((record) => record.type === 'SRV');
  t.like(srv?.data, { port: simulator.port, target });
  t.is(srv?.ttl, 120);
  const txt = (answers.find((record) => record.type === 'TXT')?.data as Buffer[]).map(String);
  t.true(txt.includes(`id=${simulator.id}`));
  t.true(txt.includes(`ca=${simulator.deviceModel.capabilities}`));
  t.true(txt.includes('fn=Living Room'));
  t.deepEqual(answers.filter((record) => record.type === 'A').map((record) => [record.name, record.data]), [[target, '127.0.0.1']]);

  // A PTR question gets the PTR with everything a resolver needs next in the additionals.
  const browsed = nextResponse(mdns, (response) => response.answers.some((record) => record.type === 'PTR' && record.data === instance));
  socket.send(query(0, [{ name: '_googlecast._tcp.local', type: 'PTR', qu: false }]), 5353, '224.0.0.251');
  const { additionals } = await browsed;
  t.deepEqual(additionals.map((record) => record.type).sort(), ['A', 'SRV', 'TXT']);

  // A legacy unicast query (not from port 5353) is answered to its sender with its id.
  const legacy = await querier(t, 0);
  const reply = new Promise<Buffer>((resolve) => legacy.once('message', resolve));
  legacy.send(query(4242, [{ name: target, type: 'A', qu: false }]), 5353, '224.0.0.251');
  const packet = await reply;
  t.is(packet.readUInt16BE(0), 4242);
  t.is(packet.readUInt16BE(6), 1, 'one answer');
});

test.serial('discovery takes the address from the A record, not from where the packet came from', async (t) => {
  if (!requireTestNamespace(t)) return;
  // Listening on 127.0.0.2, announcing from 127.0.0.1 (the loopback's multicast source).
  const simulator = await startSimulator(t, { name: 'Attic TV', advertise: true, host: '127.0.0.2' });
  const discovery = new DeviceDiscovery({ queryIntervalMs: 500 });
  t.teardown(() => discovery.stop());
  let found: CastDevice | undefined;
  discovery.on('up', (device) => {
    if (device.id === simulator.id) found = device;
  });
  discovery.start();
  await eventually(() => found !== undefined, 10_000, 'the device up');
  t.is(found?.host, '127.0.0.2');
  t.is(found?.port, simulator.port);
  t.true(discovery.diagnostics.some((note) => note.message.includes('at 127.0.0.2:') && note.message.includes('via 127.0.0.1')), 'the packet came from 127.0.0.1');
});
