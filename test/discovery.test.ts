import test from 'ava';
import { DeviceDiscovery, type CastDevice } from '../src/discovery/index.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { runCli } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real media (test/fixtures/film.mp4): the simulator probes what it is asked to play, as a device does.
const films = await film();

// Real mDNS, so only inside the loopback-only namespace test/run.sh makes:
// outside it, multicast would leave the machine.
test.serial('three simulators and a group are found, with name, model, address and SRV port', async (t) => {
  if (!requireTestNamespace(t)) return;
  const simulators = await Promise.all(
    ['Living Room', 'Kitchen', 'Bedroom'].map((name) => startSimulator(t, { name, advertise: true })),
  );
  const group = await startSimulator(t, { name: 'Whole House', advertise: true, group: true });
  const discovery = new DeviceDiscovery({ queryIntervalMs: 500 });
  t.teardown(() => discovery.stop());
  const seen = new Map<string, CastDevice>();
  discovery.on('up', (device) => seen.set(device.id, device));
  discovery.start();
  await eventually(() => seen.size >= 4, 10_000, 'four devices up');
  for (const simulator of [...simulators, group]) {
    const device = seen.get(simulator.id);
    t.truthy(device, simulator.name);
    t.is(device?.name, simulator.name);
    t.is(device?.port, simulator.port);
    t.is(device?.host, '127.0.0.1');
    t.is(device?.status, '', 'an idle device sends rs= and it reads as empty');
  }
  t.true(seen.get(group.id)?.isGroup);
  t.is(seen.get(group.id)?.model, 'Google Cast Group');
  t.false(seen.get(simulators[0]!.id)?.isGroup);
  t.is(discovery.devices.length, 4, 'deduplicated');
});

test.serial('a device that stops is reported down, and a renamed one changed', async (t) => {
  if (!requireTestNamespace(t)) return;
  const leaving = await startSimulator(t, { name: 'Guest Room', advertise: true });
  const renamed = await startSimulator(t, { name: 'Office', advertise: true });
  const discovery = new DeviceDiscovery({ queryIntervalMs: 500 });
  t.teardown(() => discovery.stop());
  discovery.start();
  await eventually(() => discovery.devices.some((device) => device.id === leaving.id) && discovery.devices.some((device) => device.id === renamed.id), 10_000, 'both up');

  const changed = new Promise<CastDevice>((resolve) => discovery.on('changed', (device) => device.id === renamed.id && resolve(device)));
  renamed.rename('Study');
  t.is((await changed).name, 'Study');

  const down = new Promise<string>((resolve) => discovery.on('down', (device, reason) => device.id === leaving.id && resolve(reason)));
  await leaving.stop();
  t.truthy(await down);
  t.false(discovery.devices.some((device) => device.id === leaving.id));
});

test('a static host is found with no multicast at all, and reported down when it goes', async (t) => {
  const simulator = await startSimulator(t, { name: 'Basement TV' });
  const discovery = new DeviceDiscovery({ mdns: false, staticHosts: [{ host: '127.0.0.1', port: simulator.port, name: 'Basement TV' }], staticProbeIntervalMs: 200 });
  t.teardown(() => discovery.stop());
  const up = new Promise<CastDevice>((resolve) => discovery.once('up', resolve));
  discovery.start();
  const device = await up;
  t.is(device.name, 'Basement TV');
  t.is(device.source, 'static');
  t.is(device.port, simulator.port);
  // A session that loses its heartbeat reports it; the next probe brings the device back.
  const reported = new Promise<[CastDevice, string]>((resolve) => discovery.once('down', (...args) => resolve(args)));
  const back = new Promise<CastDevice>((resolve) => discovery.on('up', (again) => again.id === device.id && resolve(again)));
  discovery.reportUnreachable(device.id);
  t.is((await reported)[1], 'missed its heartbeat');
  t.is((await back).name, 'Basement TV');

  const down = new Promise<CastDevice>((resolve) => discovery.once('down', resolve));
  await simulator.stop();
  t.is((await down).id, device.id);
});

test.serial('a group run with `nascast simulate --group` is found as a group on its own port', async (t) => {
  if (!requireTestNamespace(t)) return;
  const cli = runCli(t, ['simulate', '--name', 'Whole Flat', '--group', '--host', '127.0.0.1']);
  const [, port] = await cli.line(/^Simulated Cast group "Whole Flat" on 127\.0\.0\.1:(\d+) \(advertised over mDNS\)/m);
  const discovery = new DeviceDiscovery({ queryIntervalMs: 500 });
  t.teardown(() => discovery.stop());
  const found = new Promise<CastDevice>((resolve) => discovery.on('up', (device) => device.name === 'Whole Flat' && resolve(device)));
  discovery.start();
  const device = await found;
  t.true(device.isGroup);
  t.is(device.port, Number(port));
  t.not(device.port, 8009);
  cli.child.kill('SIGTERM');
  t.is(await cli.exited, 0);
});

test.serial('nascast serve finds devices, and starts a simulated one when none answers in time', async (t) => {
  if (!requireTestNamespace(t)) return;
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': films });
  const storage = await tempDir(t);
  const serve = (extra: string[]) =>
    runCli(t, ['serve', '--media', `${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, ...extra]);

  // Nothing on the network: the stand-in starts, and discovery reports it like any device.
  const alone = serve(['--simulate-if-none', '0.3']);
  await alone.line(/^No Chromecast found within 0\.3 s: started a simulated one on 127\.0\.0\.1:\d+$/m);
  await alone.line(/^Found Chromecast "NasCast Simulator" at 127\.0\.0\.1:\d+$/m);
  alone.child.kill('SIGTERM');
  t.is(await alone.exited, 0);

  // A device named by address and one on mDNS are both found.
  const byAddress = await startSimulator(t, { name: 'Basement TV' });
  await startSimulator(t, { name: 'Attic', advertise: true });
  const found = serve(['--device', `127.0.0.1:${byAddress.port}`]);
  await found.line(new RegExp(`^Found Chromecast "127\\.0\\.0\\.1:${byAddress.port}" at 127\\.0\\.0\\.1:${byAddress.port}$`, 'm'));
  await found.line(/^Found Chromecast "Attic" at 127\.0\.0\.1:\d+$/m);
  found.child.kill('SIGINT');
  t.is(await found.exited, 0);
  t.is(found.stderr, '');
});
