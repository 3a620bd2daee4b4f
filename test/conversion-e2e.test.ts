/// <reference lib="dom" />
// Files a device cannot play as they are, played in Chromium as a browser target:
// Chromium here decodes neither HEVC nor AC3, as a 3rd-generation Chromecast does not.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';
import { mountControl } from '../src/players/mount.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { eventually, startMediaServer, tempDir, type TestServer } from './helpers/media-server.ts';
import { childProcesses } from './helpers/processes.ts';

const run = promisify(execFile);
const SECONDS = 30;

/** `seconds` of a 320x180 pattern and a tone, with the codecs and container `args` give. */
async function makeFile(file: string, args: readonly string[], inputs: readonly string[] = []): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=25:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    ...inputs,
    ...args,
    file,
  ]);
}

interface Playing {
  width: number;
  frames: number;
  audioBytes: number;
  time: number;
  duration: number;
}

function playing(page: Page): Promise<Playing> {
  return page.$eval('video', (video) => {
    const element = video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number };
    return { width: element.videoWidth, frames: element.getVideoPlaybackQuality().totalVideoFrames, audioBytes: element.webkitAudioDecodedByteCount ?? 0, time: element.currentTime, duration: element.duration };
  });
}

async function setup(t: ExecutionContext, files: Record<string, Buffer>): Promise<{ media: TestServer; client: ControlClient; page: Page; pageErrors: string[] }> {
  const media = await startMediaServer(t, files, { library: { probe: true } });
  await media.library.settled();
  const control = mountControl(media.server, { secrets: media.secrets, name: 'NAS' });
  t.teardown(() => control.close());
  const client = new ControlClient({ url: `ws://127.0.0.1:${media.server.port}/control`, token: media.secrets.token });
  t.teardown(() => client.close());
  await client.connect();
  const browser = await launchChromium(t);
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(control.receiverPageUrl('Test Screen'));
  await eventually(async () => (await client.devices()).some((device) => device.name === 'Test Screen'), 10_000, 'the browser target joined');
  return { media, client, page, pageErrors };
}

/** Plays, then waits until picture and sound both advance. */
async function assertPlays(t: ExecutionContext, page: Page, what: string): Promise<Playing> {
  let first: Playing | undefined;
  await eventually(async () => {
    const now = await playing(page);
    if (now.width > 0 && now.frames > 0) first = now;
    return first !== undefined;
  }, 20_000, `${what}: a picture`);
  let later: Playing | undefined;
  await eventually(async () => {
    const now = await playing(page);
    if (now.frames > first!.frames + 5 && now.audioBytes > first!.audioBytes) later = now;
    return later !== undefined;
  }, 20_000, `${what}: frames and sound advance`);
  t.true(later!.width > 0, `${what}: width ${later!.width}`);
  return later!;
}

const FILES: Array<{ name: string; args: string[]; mode: string }> = [
  { name: 'HEVC 10-bit + AC3 5.1.mkv', args: ['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error:keyint=50', '-c:a', 'ac3', '-ac', '6'], mode: 'video' },
  { name: 'Old DivX.avi', args: ['-c:v', 'mpeg4', '-q:v', '5', '-g', '50', '-c:a', 'libmp3lame', '-b:a', '128k'], mode: 'video' },
  { name: 'Recording.ts', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-c:a', 'mp2', '-f', 'mpegts'], mode: 'audio' },
  { name: 'Phone clip.mov', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-c:a', 'aac', '-f', 'mov'], mode: 'remux' },
];

test.serial('browser target: an MKV with two audio tracks and French and English subtitles inside (SRT and ASS) plays the chosen audio and shows the chosen subtitles, and only those', async (t) => {
  if (!requireTestNamespace(t)) return;
  const work = await tempDir(t);
  await fs.writeFile(path.join(work, 'fr.srt'), '1\n00:00:00,000 --> 00:00:29,000\nBonjour des sous-titres\n');
  await fs.writeFile(path.join(work, 'en.ass'), '[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\nStyle: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:00.00,0:00:29.00,Default,,0,0,0,,Hello from the subtitles\n');
  const made = path.join(work, 'Film.mkv');
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=25:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=880:sample_rate=48000:duration=${SECONDS}`,
    '-i', path.join(work, 'fr.srt'), '-i', path.join(work, 'en.ass'),
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-map', '3', '-map', '4',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error:keyint=50',
    '-c:a', 'ac3', '-ac', '6', '-c:s:0', 'srt', '-c:s:1', 'ass',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fre', '-metadata:s:s:0', 'language=fre', '-metadata:s:s:1', 'language=eng',
    made,
  ]);
  const { client, page, pageErrors } = await setup(t, { 'Films/Film.mkv': await fs.readFile(made) });
  const played = await client.play('Test Screen', { media: 'Media/Films/Film.mkv', audio: 'fr', subtitles: 'fr' });
  t.like(played, { state: 'PLAYING', conversion: { mode: 'video' } });
  await assertPlays(t, page, 'Film.mkv');
  // The French audio is the file's stream 2: the stream's plan (in its URL) maps it.
  const src = await page.$eval('video', (video) => video.currentSrc || video.src);
  const key = /\/stream\/[^/]+\/([^/]+)\//.exec(src)?.[1] ?? '';
  t.like(JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as unknown[], { 2: [2, [2, 192_000]] }, 'the French audio track (stream 2) is played, converted to AAC stereo');
  let shown: Array<{ lang: string; mode: string; cue: string | undefined }> = [];
  await eventually(async () => {
    shown = await page.$eval('video', (video) => Array.from(video.textTracks).map((track) => ({ lang: track.language, mode: track.mode, cue: (track.activeCues?.[0] as VTTCue | undefined)?.text })));
    return shown.some((track) => track.mode === 'showing' && track.cue !== undefined);
  }, 15_000, 'a subtitle cue showing');
  t.deepEqual(shown.filter((track) => track.mode === 'showing').map((track) => [track.lang, track.cue]), [['fr', 'Bonjour des sous-titres']]);
  t.deepEqual(shown.map((track) => track.lang).sort(), ['en', 'fr'], 'both languages inside the file are offered');
  t.deepEqual(pageErrors, []);
});

for (const file of FILES) {
  test.serial(`browser target: ${file.name} is converted (${file.mode}), plays with picture and sound, seeks to 80 %, and leaves no ffmpeg after stop`, async (t) => {
    if (!requireTestNamespace(t)) return;
    const work = await tempDir(t);
    const made = path.join(work, file.name);
    await makeFile(made, [...file.args]);
    const { client, page, pageErrors } = await setup(t, { [`Films/${file.name}`]: await fs.readFile(made) });
    const played = await client.play('Test Screen', { media: `Media/Films/${file.name}` });
    t.is(played?.state, 'PLAYING');
    t.like(played, { conversion: { mode: file.mode } }, JSON.stringify(played?.conversion));
    const src = await page.$eval('video', (video) => video.currentSrc || video.src);
    t.regex(src, /\/stream\/[^/]+\/[^/]+\/master\.m3u8/, 'the device was given the converted stream');
    const started = await assertPlays(t, page, file.name);
    t.true(Math.abs(started.duration - SECONDS) < 1.5, `the timeline is the file's whole duration (${started.duration})`);

    await client.seek('Test Screen', SECONDS * 0.8);
    await eventually(async () => (await playing(page)).time > SECONDS * 0.8 + 0.5, 20_000, 'plays after the seek to 80 %');
    await assertPlays(t, page, `${file.name} after the seek`);

    await client.stop('Test Screen');
    await eventually(() => childProcesses('ffmpeg') === 0, 15_000, 'no ffmpeg left after stop');
    t.deepEqual(pageErrors, []);
  });
}
