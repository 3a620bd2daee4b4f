/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { NS, PLATFORM_RECEIVER } from '../src/cast/namespaces.ts';
import type { ReceiverPage } from '../src/simulator/index.ts';
import { lastStatus, startCastApp, type CastApp } from './helpers/cast-app.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { SecondSender } from './helpers/second-sender.ts';

// Our receiver app on a simulated Chromecast, held to what CAF does on a device: the
// platform adds the media namespace, CAF's PlayerManager answers every sender on it,
// only declared custom namespaces reach the page, and the volume is the device's.

type Json = Record<string, unknown>;

async function start(t: ExecutionContext): Promise<CastApp & { page: ReceiverPage; filmUrl: string }> {
  const work = await tempDir(t);
  await makeMp4(path.join(work, 'film.mp4'), { seconds: 20, faststart: true });
  const bytes = await fs.readFile(path.join(work, 'film.mp4'));
  const app = await startCastApp(t, { 'Films/Test Film.mp4': bytes, 'Films/Other.mp4': bytes, 'Films/Broken.mp4': Buffer.alloc(4096, 7) });
  t.is((await app.client.play(app.device, { media: app.media.item('Films/Test Film.mp4').id }))?.state, 'PLAYING');
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PLAYING' && status.media !== undefined), 10_000, 'PLAYING status');
  return { ...app, page: app.simulator.receiverPage!, filmUrl: app.statuses.at(-1)!.media!.url };
}

const entryOf = (message: Json): Json | undefined => (message.status as Json[] | undefined)?.[0];

test.serial('our app speaks the media namespace as CAF does: RECEIVER_STATUS lists it, and MEDIA_STATUS carries the real media to every sender', async (t) => {
  if (!requireTestNamespace(t)) return;
  const app = await start(t);
  const phone = await SecondSender.connect(t, app.simulator.host, app.simulator.port);
  const { transportId, namespaces } = await phone.join();
  t.deepEqual([...namespaces].sort(), [NS.media, NS.control].sort(), 'the declared namespace and the media namespace CAF adds, nothing else');

  const answer = await phone.request(transportId, NS.media, { type: 'GET_STATUS' });
  t.is(answer.type, 'MEDIA_STATUS');
  const entry = entryOf(answer)!;
  t.is(entry.playerState, 'PLAYING');
  t.is((entry.media as Json).contentId, app.filmUrl);
  t.true(Math.abs(Number((entry.media as Json).duration) - 20) < 0.5, 'the real duration');
  t.true(Number(entry.mediaSessionId) > 0);
  // The artwork NasCast sent the page is in the metadata, where phones look for it.
  const images = ((entry.media as Json).metadata as { images?: Array<{ url: string }> } | undefined)?.images;
  t.is(new URL(images?.[0]?.url ?? 'http://none/').pathname, `/artwork/${app.media.item('Films/Test Film.mp4').id}`);

  // What NasCast does is broadcast to every sender of the app, with requestId 0.
  await app.client.pause(app.device);
  const broadcast = await phone.next((heard) => heard.namespace === NS.media && heard.destination === '*' && entryOf(heard.data)?.playerState === 'PAUSED');
  t.is(broadcast.data.requestId, 0);

  // At the real end: IDLE with FINISHED, for every sender and for NasCast.
  await app.client.seek(app.device, 19);
  await app.client.resume(app.device);
  const finished = await phone.next((heard) => heard.namespace === NS.media && entryOf(heard.data)?.idleReason === 'FINISHED', 10_000);
  t.like(finished.data, { requestId: 0, status: [{ playerState: 'IDLE' }] });
  await eventually(lastStatus(app.statuses, (status) => status.state === 'ENDED'), 5000, 'controllers see the end');
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});

test.serial("CAF's message interceptors run before its own handling: they may answer an ErrorData, drop a request (null), or answer later (a Promise)", async (t) => {
  if (!requireTestNamespace(t)) return;
  const app = await start(t);
  const phone = await SecondSender.connect(t, app.simulator.host, app.simulator.port);
  const { transportId } = await phone.join();
  const media = (data: Json, ms?: number): Promise<Json> => phone.request(transportId, NS.media, data, ms);
  const mediaSessionId = entryOf(await media({ type: 'GET_STATUS' }))!.mediaSessionId;
  await app.page.evaluate(() => {
    type Messages = { ErrorData: new (type: string) => { reason?: string }; ErrorType: Record<string, string>; ErrorReason: Record<string, string> };
    const framework = (globalThis as unknown as { cast: { framework: { messages: Messages; CastReceiverContext: { getInstance(): { getPlayerManager(): { setMessageInterceptor(type: string, interceptor: (request: unknown) => unknown): void } } } } } }).cast.framework;
    const player = framework.CastReceiverContext.getInstance().getPlayerManager();
    const { ErrorData, ErrorType, ErrorReason } = framework.messages;
    player.setMessageInterceptor('SEEK', () => Object.assign(new ErrorData(ErrorType.INVALID_REQUEST!), { reason: ErrorReason.NOT_SUPPORTED }));
    player.setMessageInterceptor('PAUSE', () => null);
    player.setMessageInterceptor('PLAY', (request) => new Promise((resolve) => setTimeout(() => resolve(request), 200)));
  });
  t.like(await media({ type: 'SEEK', mediaSessionId, currentTime: 5 }), { type: 'INVALID_REQUEST', reason: 'NOT_SUPPORTED' });
  await t.throwsAsync(media({ type: 'PAUSE', mediaSessionId }, 1500), { message: /no such message/ }, 'a dropped request has no answer');
  t.false(await app.page.evaluate(() => document.querySelector('video')!.paused), 'and is not carried out');
  t.like(entryOf(await media({ type: 'PLAY', mediaSessionId })), { playerState: 'PLAYING' });
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});

test.serial('only the namespaces the app declared reach the page: a message on another one never does, and CAF refuses a listener for it', async (t) => {
  if (!requireTestNamespace(t)) return;
  const app = await start(t);
  const phone = await SecondSender.connect(t, app.simulator.host, app.simulator.port);
  const { transportId } = await phone.join();
  await app.page.evaluate(() => {
    const bridge = globalThis as { __nascastCastDeliver?: (namespace: string, sender: string, data: unknown) => void; seenNamespaces?: string[] };
    const deliver = bridge.__nascastCastDeliver!;
    bridge.seenNamespaces = [];
    bridge.__nascastCastDeliver = (namespace, sender, data) => {
      bridge.seenNamespaces!.push(namespace);
      deliver(namespace, sender, data);
    };
  });
  const heardByApp: string[] = [];
  app.simulator.on('app-message', (message) => heardByApp.push(message.namespace));
  phone.send(transportId, 'urn:x-cast:com.example.undeclared', { type: 'HELLO' });
  phone.send(transportId, NS.control, { type: 'noop' });
  await eventually(async () => (await app.page.evaluate(() => (globalThis as { seenNamespaces?: string[] }).seenNamespaces ?? [])).includes(NS.control), 5000, 'the declared message delivered');
  t.deepEqual(await app.page.evaluate(() => (globalThis as { seenNamespaces?: string[] }).seenNamespaces), [NS.control]);
  t.deepEqual(heardByApp, [NS.control]);
  // Once started, CAF refuses a listener on a namespace the app did not declare.
  const refused = await app.page.evaluate(() => {
    const framework = (globalThis as unknown as { cast: { framework: { CastReceiverContext: { getInstance(): { addCustomMessageListener(namespace: string, listener: () => void): void } } } } }).cast.framework;
    try {
      framework.CastReceiverContext.getInstance().addCustomMessageListener('urn:x-cast:com.example.undeclared', () => {});
      return 'accepted';
    } catch (error) {
      return String(error);
    }
  });
  t.regex(refused, /not supported/);
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});

test.serial("a second sender's PAUSE, SEEK, PLAY, LOAD and STOP act on the page's video, and NasCast's controllers follow each", async (t) => {
  if (!requireTestNamespace(t)) return;
  const app = await start(t);
  const phone = await SecondSender.connect(t, app.simulator.host, app.simulator.port);
  const { transportId } = await phone.join();
  const media = (data: Json): Promise<Json> => phone.request(transportId, NS.media, data);
  const mediaSessionId = entryOf(await media({ type: 'GET_STATUS' }))!.mediaSessionId;

  const paused = await media({ type: 'PAUSE', mediaSessionId });
  t.is(paused.type, 'MEDIA_STATUS', 'answered with the request id');
  t.is(entryOf(paused)?.playerState, 'PAUSED');
  t.true(await app.page.evaluate(() => document.querySelector('video')!.paused));
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PAUSED'), 5000, 'controllers see PAUSED');

  await media({ type: 'SEEK', mediaSessionId, currentTime: 12 });
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PAUSED' && Math.abs(status.position - 12) < 0.5), 5000, 'controllers see 12 s');
  t.is(entryOf(await media({ type: 'PLAY', mediaSessionId }))?.playerState, 'PLAYING');
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PLAYING'), 5000, 'controllers see PLAYING');
  // A command for another media session is refused, as CAF does.
  t.like(await media({ type: 'PAUSE', mediaSessionId: 999 }), { type: 'INVALID_REQUEST', reason: 'INVALID_MEDIA_SESSION_ID' });

  // A URL NasCast never sent plays, and NasCast reports it with its title.
  const other = `${app.media.origin}${app.media.mediaPath('Films/Other.mp4')}`;
  const poster = app.media.server.castMedia(app.media.item('Films/Other.mp4')).images![0]!;
  const loaded = await media({ type: 'LOAD', autoplay: true, media: { contentId: other, contentType: 'video/mp4', streamType: 'BUFFERED', metadata: { metadataType: 0, title: 'From the phone', images: [{ url: poster }] } } });
  t.is(entryOf(loaded)?.playerState, 'PLAYING');
  t.is(await app.page.evaluate(() => document.querySelector('video')!.currentSrc), other);
  t.is(await app.page.evaluate(() => document.getElementById('backdrop')!.getAttribute('src')), poster, "the phone's artwork is the page's");
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PLAYING' && status.media?.url === other && status.media.title === 'From the phone'), 5000, 'controllers see the phone’s film');
  t.like(await phone.next((heard) => entryOf(heard.data)?.idleReason === 'INTERRUPTED'), { destination: '*' });

  // A file that cannot play: LOAD_FAILED with the element's detailed error code, then IDLE/ERROR for everyone.
  const broken = `${app.media.origin}${app.media.mediaPath('Films/Broken.mp4')}`;
  const failed = await media({ type: 'LOAD', media: { contentId: broken, contentType: 'video/mp4', streamType: 'BUFFERED' } });
  t.is(failed.type, 'LOAD_FAILED');
  t.true([102, 104].includes(Number(failed.detailedErrorCode)), `detailedErrorCode ${String(failed.detailedErrorCode)}`);
  await phone.next((heard) => heard.data.requestId === 0 && entryOf(heard.data)?.idleReason === 'ERROR');
  await eventually(lastStatus(app.statuses, (status) => status.state === 'ERROR' && status.media?.url === broken), 5000, 'controllers see the failure');

  const reloaded = await media({ type: 'LOAD', media: { contentId: other, contentType: 'video/mp4', streamType: 'BUFFERED' } });
  const stopped = await media({ type: 'STOP', mediaSessionId: entryOf(reloaded)!.mediaSessionId });
  t.like(entryOf(stopped), { playerState: 'IDLE', idleReason: 'CANCELLED' });
  t.false(await app.page.evaluate(() => document.querySelector('video')!.hasAttribute('src')));
  await eventually(lastStatus(app.statuses, (status) => status.state === 'IDLE' && status.media === undefined), 5000, 'controllers see IDLE');
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});

test.serial("the volume is the device's: NasCast sets the simulated device's volume, not the element's, and reports it", async (t) => {
  if (!requireTestNamespace(t)) return;
  const app = await start(t);
  t.is(app.statuses.find((status) => status.state === 'PLAYING')?.volume, 0.5, "the device's volume from the start, not the element's 1");

  await app.client.volume(app.device, 0.3);
  t.is(app.simulator.volume.level, 0.3);
  t.is(await app.page.evaluate(() => document.querySelector('video')!.volume), 1);
  await eventually(lastStatus(app.statuses, (status) => status.volume === 0.3), 5000, 'volume 0.3 reported');
  await app.client.mute(app.device, true);
  t.true(app.simulator.volume.muted);
  t.false(await app.page.evaluate(() => document.querySelector('video')!.muted));
  await eventually(lastStatus(app.statuses, (status) => status.muted), 5000, 'muted reported');

  // Another sender's change of the device volume shows too.
  const phone = await SecondSender.connect(t, app.simulator.host, app.simulator.port);
  await phone.request(PLATFORM_RECEIVER, NS.receiver, { type: 'SET_VOLUME', volume: { level: 0.8 } });
  await eventually(lastStatus(app.statuses, (status) => status.volume === 0.8), 5000, 'volume 0.8 reported');
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});
