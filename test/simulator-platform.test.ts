import test from 'ava';
import { DEFAULT_MEDIA_RECEIVER, NS, PLATFORM_RECEIVER } from '../src/cast/namespaces.ts';
import { rawSender, type Received } from './helpers/raw-sender.ts';
import { connectSession, startSimulator } from './helpers/simulator.ts';

// The simulator's platform held to what a device does (openscreen's ApplicationAgent and
// VirtualConnectionRouter, captures from real devices), driven by hand-written castv2
// frames rather than by castv2-client, which is forgiving in its own ways.

const MULTIZONE = 'urn:x-cast:com.google.cast.multizone';
const reply = (requestId: number) => (message: Received): boolean => message.data.requestId === requestId;

test('nothing is answered before CONNECT; the heartbeat is, and a CONNECT to no app is answered with CLOSE', async (t) => {
  const simulator = await startSimulator(t);
  const sender = await rawSender(t, simulator.host, simulator.port);
  sender.send(NS.receiver, { type: 'GET_STATUS', requestId: 1 });
  sender.send(NS.heartbeat, { type: 'PING' });
  await sender.next((message) => message.data.type === 'PONG');
  await t.throwsAsync(sender.next(reply(1), 300), undefined, 'no reply without a virtual connection');
  sender.connect();
  sender.send(NS.receiver, { type: 'GET_STATUS', requestId: 2 });
  const status = await sender.next(reply(2));
  t.is(status.data.type, 'RECEIVER_STATUS');
  t.false('applications' in (status.data.status as object), 'an idle device sends no applications key');
  t.like(status.data.status, { userEq: {}, volume: { controlType: 'attenuation' }, isActiveInput: true });
  sender.connect('web-00000000', 'client-1');
  const close = await sender.next((message) => message.namespace === NS.connection);
  t.deepEqual(close.data, { type: 'CLOSE' });
  t.is(close.source, 'web-00000000');
});

test('app availability answers with responseType; an unknown app is unavailable and its LAUNCH fails NOT_FOUND', async (t) => {
  const simulator = await startSimulator(t, { apps: ['FEED0003'], refuseApps: ['FEED0004'], receiverApps: { FEED0005: 'http://127.0.0.1:9/' } });
  const sender = await rawSender(t, simulator.host, simulator.port);
  sender.connect();
  sender.send(NS.receiver, { type: 'GET_APP_AVAILABILITY', appId: [DEFAULT_MEDIA_RECEIVER, 'FEED0003', 'FEED0004', 'FEED0005', 'DEADBEEF'], requestId: 7 });
  const availability = await sender.next(reply(7));
  t.deepEqual(availability.data, {
    responseType: 'GET_APP_AVAILABILITY',
    requestId: 7,
    availability: { [DEFAULT_MEDIA_RECEIVER]: 'APP_AVAILABLE', FEED0003: 'APP_AVAILABLE', FEED0004: 'APP_UNAVAILABLE', FEED0005: 'APP_AVAILABLE', DEADBEEF: 'APP_UNAVAILABLE' },
  });
  sender.send(NS.receiver, { type: 'LAUNCH', appId: 'DEADBEEF', requestId: 8 });
  t.deepEqual((await sender.next(reply(8))).data, { type: 'LAUNCH_ERROR', requestId: 8, reason: 'NOT_FOUND' });
  t.is(simulator.runningApp, undefined);
  // Our sender reads availability whatever the reply's type field says.
  const session = await connectSession(t, simulator);
  t.false(await session.isAppAvailable('DEADBEEF'));
  t.true(await session.isAppAvailable('FEED0003'));
});

test('STOP with another session id, an unknown command, and one with no request id', async (t) => {
  const simulator = await startSimulator(t);
  const sender = await rawSender(t, simulator.host, simulator.port);
  sender.connect();
  sender.send(NS.receiver, { type: 'LAUNCH', appId: DEFAULT_MEDIA_RECEIVER, requestId: 1 });
  const launched = await sender.next((message) => reply(1)(message) && message.data.type === 'RECEIVER_STATUS');
  t.is(launched.destination, '*', 'the status that answers a LAUNCH is a broadcast carrying its request id');
  sender.send(NS.receiver, { type: 'STOP', sessionId: 'not-the-session', requestId: 2 });
  t.deepEqual((await sender.next(reply(2))).data, { type: 'INVALID_REQUEST', requestId: 2, reason: 'INVALID_SESSION_ID' });
  t.is(simulator.runningApp, DEFAULT_MEDIA_RECEIVER);
  sender.send(NS.receiver, { type: 'REBOOT', requestId: 3 });
  t.deepEqual((await sender.next(reply(3))).data, { type: 'INVALID_REQUEST', requestId: 3, reason: 'INVALID_COMMAND' });
  sender.send(NS.receiver, { type: 'REBOOT' });
  sender.send(NS.receiver, { type: 'GET_STATUS', requestId: 4 });
  await sender.next(reply(4));
  t.is(sender.inbox.filter((message) => message.data.reason === 'INVALID_COMMAND').length, 1, 'no answer to a command without a request id');
  const app = (launched.data.status as { applications: Array<{ sessionId: string }> }).applications[0]!;
  sender.send(NS.receiver, { type: 'STOP', sessionId: app.sessionId, requestId: 5 });
  t.false('applications' in ((await sender.next(reply(5))).data.status as object));
  t.is(simulator.runningApp, undefined);
});

test('the device PINGs its senders and drops one whose heartbeat has stopped; one that answers PINGs stays', async (t) => {
  const simulator = await startSimulator(t, { heartbeatIntervalMs: 100, senderTimeoutMs: 600 });
  const silent = await rawSender(t, simulator.host, simulator.port);
  const answering = await rawSender(t, simulator.host, simulator.port);
  silent.connect();
  answering.connect();
  // As VLC does: it never PINGs, it answers the device's PINGs.
  let answered = 0;
  const pong = setInterval(() => {
    for (const message of answering.inbox.slice(answered)) if (message.data.type === 'PING') answering.send(NS.heartbeat, { type: 'PONG' });
    answered = answering.inbox.length;
  }, 50);
  t.teardown(() => clearInterval(pong));
  const ping = await silent.next((message) => message.data.type === 'PING');
  t.is(ping.source, PLATFORM_RECEIVER);
  const started = Date.now();
  await silent.closed;
  t.true(Date.now() - started < 2000);
  await new Promise((resolve) => setTimeout(resolve, 400));
  t.is(simulator.connectionCount, 1, 'the sender that answers PINGs is still connected');
});

test('a group reports its members on the multizone namespace; a video device does not speak it', async (t) => {
  const memberId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  const group = await startSimulator(t, { group: true, name: 'Whole House', members: ['Kitchen speaker', memberId] });
  const sender = await rawSender(t, group.host, group.port);
  sender.connect();
  sender.send(MULTIZONE, { type: 'GET_STATUS', requestId: 11 });
  const status = await sender.next(reply(11));
  t.is(status.data.type, 'MULTIZONE_STATUS');
  const devices = (status.data.status as { devices: Array<{ deviceId: string; name: string; capabilities: number; volume: object }> }).devices;
  t.deepEqual(devices.map((device) => device.name), ['Kitchen speaker', memberId]);
  t.is(devices[1]!.deviceId, '0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9');
  t.regex(devices[0]!.deviceId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  t.like(devices[0], { capabilities: group.deviceModel.capabilities, volume: { level: 1, muted: false } });

  const tv = await startSimulator(t);
  const toTv = await rawSender(t, tv.host, tv.port);
  toTv.connect();
  toTv.send(MULTIZONE, { type: 'GET_STATUS', requestId: 12 });
  await t.throwsAsync(toTv.next(reply(12), 300));
});

test('eureka_info over HTTP: only the params asked for, the model, the dashed udn; a group lists itself as a group it leads', async (t) => {
  const id = '99f3c58bf3471cc10cd87f79d33599cf';
  const speaker = await startSimulator(t, { id, name: 'Family Room', model: 'audio' });
  t.true(speaker.httpPort > 0);
  const base = `http://${speaker.host}:${speaker.httpPort}/setup/eureka_info`;
  const asked = (await (await fetch(`${base}?params=device_info,name`)).json()) as Record<string, unknown>;
  t.deepEqual(Object.keys(asked).sort(), ['device_info', 'name']);
  t.is(asked.name, 'Family Room');
  t.deepEqual(asked.device_info, {
    manufacturer: 'Google Inc.',
    model_name: 'Google Home',
    ssdp_udn: '99f3c58b-f347-1cc1-0cd8-7f79d33599cf',
    capabilities: { display_supported: false, multizone_supported: true },
  });
  const everything = (await (await fetch(base)).json()) as { version: number; build_info: { cast_build_revision: string }; multizone: { groups: unknown[] } };
  t.is(typeof everything.version, 'number');
  t.regex(everything.build_info.cast_build_revision, /^\d+\.\d+\.\d+$/);
  t.deepEqual(everything.multizone.groups, []);
  t.is((await fetch(`http://${speaker.host}:${speaker.httpPort}/setup/nothing`)).status, 404);

  const tv = await startSimulator(t, { model: 'chromecast-ultra' });
  const tvInfo = (await (await fetch(`http://${tv.host}:${tv.httpPort}/setup/eureka_info?params=device_info,multizone`)).json()) as Record<string, { model_name: string; capabilities: object }>;
  t.deepEqual(Object.keys(tvInfo), ['device_info'], 'a device without multizone has no multizone to give');
  t.is(tvInfo.device_info!.model_name, 'Chromecast Ultra');
  t.like(tvInfo.device_info!.capabilities, { display_supported: true, multizone_supported: false });

  const group = await startSimulator(t, { group: true, name: 'Whole House' });
  const zone = (await (await fetch(`http://${group.host}:${group.httpPort}/setup/eureka_info?params=multizone`)).json()) as { multizone: { groups: unknown[] } };
  t.deepEqual(zone.multizone.groups, [{ name: 'Whole House', uuid: `${group.id.slice(0, 8)}-${group.id.slice(8, 12)}-${group.id.slice(12, 16)}-${group.id.slice(16, 20)}-${group.id.slice(20)}`, elected_leader: 'self', cast_port: group.port, multichannel_status: 0 }]);
});
