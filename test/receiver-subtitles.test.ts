import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';
import { ControlError } from '../src/errors.ts';
import { mountControl } from '../src/players/mount.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, startMediaServer, tempDir } from './helpers/media-server.ts';

const cue = (text: string): string => `1\n00:00:00,000 --> 00:00:30,000\n${text}\n`;

/** A browser target in Chromium with a film that has English and French subtitles. */
async function setup(t: ExecutionContext): Promise<{ client: ControlClient; page: Page; film: string }> {
  const work = await tempDir(t);
  await makeMp4(path.join(work, 'film.mp4'), { seconds: 30, faststart: true });
  const media = await startMediaServer(t, {
    'Films/Film.mp4': await fs.readFile(path.join(work, 'film.mp4')),
    'Films/Film.en.srt': cue('Hello'),
    'Films/Film.fr.srt': cue('Bonjour'),
  });
  const control = mountControl(media.server, { secrets: media.secrets });
  t.teardown(() => control.close());
  const client = new ControlClient({ url: `ws://127.0.0.1:${media.server.port}/control`, token: media.secrets.token });
  t.teardown(() => client.close());
  await client.connect();
  const context = await launchChromium(t);
  const page = await context.newPage();
  await page.goto(control.receiverPageUrl('Tablet'));
  await eventually(() => control.hub.receivers.length === 1, 10_000, 'the page registered');
  return { client, page, film: media.item('Films/Film.mp4').id };
}

/** The languages of the tracks showing, once playback has run a little (the browser's own track choice is made by then). */
async function showing(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.querySelector('video')!.currentTime > 0.5, undefined, { timeout: 15_000 });
  return page.$eval('video', (video) => Array.from(video.textTracks).filter((track) => track.mode === 'showing').map((track) => track.language));
}

test('subtitles on a browser target: only the language asked for, none when none is asked for, and a clear error for one the film lacks', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { client, page, film } = await setup(t);
  await client.play('Tablet', { media: film, subtitles: 'fr' });
  t.deepEqual(await showing(page), ['fr']);
  await client.play('Tablet', { media: film });
  await page.waitForFunction(() => document.querySelector('video')!.currentTime < 0.5);
  t.deepEqual(await showing(page), []);
  const missing = await t.throwsAsync(client.play('Tablet', { media: film, subtitles: 'de' }), { instanceOf: ControlError });
  t.like(missing, { code: 'BAD_REQUEST', message: "Film has no subtitles in 'de' (it has en, fr)" });
});

test('while the now-playing overlay shows, the subtitles move up above it, and back down after', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { client, page, film } = await setup(t);
  await client.play('Tablet', { media: film, subtitles: 'en' });
  t.deepEqual(await showing(page), ['en']);
  const lineOfCue = (): Promise<string> => page.$eval('video', (video) => String((Array.from(video.textTracks).find((track) => track.mode === 'showing')?.activeCues?.[0] as VTTCue | undefined)?.line));
  await page.waitForFunction(() => !document.getElementById('now-playing')!.classList.contains('faded') && !document.getElementById('now-playing')!.hidden);
  await eventually(async () => (await lineOfCue()) !== 'auto' && (await lineOfCue()) !== 'undefined', 5000, 'the cue moved up');
  t.true(Number(await lineOfCue()) < 0, 'counted from the bottom, above the overlay');
  await page.waitForFunction(() => document.getElementById('now-playing')!.classList.contains('faded'), undefined, { timeout: 15_000 });
  await eventually(async () => (await lineOfCue()) === 'auto', 5000, 'the cue back in its place');
});
