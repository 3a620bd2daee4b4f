import test from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { mountControl } from '../src/players/mount.ts';
import { hello, type Json } from './helpers/control.ts';
import { eventually, patternBytes, startMediaServer } from './helpers/media-server.ts';

// On a Chromecast, other senders (a phone, the Google Home app) load their own media
// through CAF, and our receiver page reports it. NasCast's queue then no longer plays
// there: when the other sender's film ends, NasCast must not start its next item over it.

test("media another sender loads ends NasCast's queue: its end does not start NasCast's next item", async (t) => {
  const media = await startMediaServer(t, { 'Mixed/A.mp4': patternBytes(512), 'Mixed/B.mp4': patternBytes(512) }, { library: { watch: false } });
  const control = mountControl(media.server, { secrets: media.secrets });
  t.teardown(() => control.close());
  const url = `ws://127.0.0.1:${media.server.port}/control`;
  const screen = await hello(t, url, { token: control.receiverTokens.issue('*'), role: 'receiver', name: 'Screen' });
  const loads: Json[] = [];
  screen.ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
    if (message.type === 'welcome' || message.type === 'ok') return;
    if (message.type === 'load') loads.push(message);
    screen.send({ type: 'ok', id: message.id });
  });
  const client = new ControlClient({ url, token: media.secrets.token });
  t.teardown(() => client.close());
  await client.connect();
  const report = (state: string, item: { url: unknown; title?: unknown }): void => screen.send({ type: 'status', state, position: 0, volume: 1, muted: false, media: item });

  await client.play('Screen', { media: 'Media/Mixed' });
  await eventually(() => loads.length === 1, 5000, 'the first item loaded');
  report('PLAYING', { url: loads[0]!.url, title: loads[0]!.title });
  // A phone's film, as the page reports what CAF plays for it, and then its end.
  const phone = { url: 'http://192.0.2.50/phone.mp4', title: 'From the phone' };
  report('PLAYING', phone);
  report('ENDED', phone);
  await eventually(async () => (await client.status('Screen'))?.state === 'ENDED', 5000, 'the end reported');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is(loads.length, 1, 'NasCast did not load its next item over the phone’s film');
});
