import test from 'ava';
import { eventually, patternBytes } from './helpers/media-server.ts';
import { screenSetup } from './helpers/screen.ts';

// On a Chromecast, other senders (a phone, the Google Home app) load their own media
// through CAF, and our receiver page reports it. NasCast's queue then no longer plays
// there: when the other sender's film ends, NasCast must not start its next item over it.

test("media another sender loads ends NasCast's queue: its end does not start NasCast's next item", async (t) => {
  const { screen, client, loads } = await screenSetup(t, { 'Mixed/A.mp4': patternBytes(512), 'Mixed/B.mp4': patternBytes(512) });
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
