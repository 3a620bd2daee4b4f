import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { Page } from 'playwright-core';
import { NasCast } from '../src/nascast.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { film, makeMp4 } from './helpers/ffmpeg.ts';
import { makeCorrupt, makeJpegWithExif, makeMkvWithTracks, makeTaggedMp3 } from './helpers/media-fixtures.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// The web page at `/` in headless Chromium (inside the loopback-only namespace): log in,
// browse, cast to a simulator, use each control and see the device and the page change.

const SCREENSHOTS = path.resolve('test-output', 'web');

/** Logs in with the token; resolves once the library, the device and the live link show. */
async function logIn(page: Page, token: string, device: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#grid .tile:has-text("Films")');
  await page.waitForSelector(`.device[data-device] .device-name:has-text("${device}")`);
  await page.waitForSelector('#link.open');
}

test('the web page: a wrong token is refused; log in, browse, cast, and every control takes effect and shows', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(120_000);
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films', 'Cartoons'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Cartoons', 'Episode 1.mp4'), { seconds: 20, faststart: true });
  await fs.copyFile(path.join(dir, 'Films', 'Cartoons', 'Episode 1.mp4'), path.join(dir, 'Films', 'Cartoons', 'Episode 2.mp4'));
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Kitchen=${tv.host}:${tv.port}`], rescanInterval: 0 });
  t.teardown(() => cast.stop());
  await cast.start();

  const browser = await launchChromium(t);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${cast.server.port}/`);

  // A wrong token is refused, in words.
  await page.fill('#token', 'not-the-token');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#message:not([hidden])');
  t.regex((await page.textContent('#message')) ?? '', /That token is not right/);
  t.true(await page.isHidden('#app'));

  // The right one: the library and the device appear; the link is live.
  await logIn(page, token, 'Kitchen');
  await page.click('#grid .tile:has-text("Films")');
  await page.click('#grid .tile:has-text("Cartoons")');
  await page.waitForSelector('#grid .tile:has-text("Episode 2")');
  t.is(await page.textContent('#crumbs'), 'LibraryFilmsCartoons');

  // Cast the folder (a queue): the only device is chosen already.
  t.regex((await page.textContent('#play-all')) ?? '', /Play all on Kitchen/);
  await page.click('#play-all');
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'the device playing');
  const card = '.device[data-device]';
  await page.waitForSelector(`${card} .now-state:has-text("PLAYING")`);
  t.is(await page.textContent(`${card} .now-title`), 'Episode 1');
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop.png'), fullPage: true });

  // Each control, on the device and back on the page.
  t.is(await page.textContent(`${card} [data-action=toggle]`), 'Pause');
  await page.click(`${card} [data-action=toggle]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'PAUSED', 10_000, 'paused');
  await page.waitForSelector(`${card} .now-state:has-text("PAUSED")`);
  t.is(await page.textContent(`${card} [data-action=toggle]`), 'Play');
  await page.click(`${card} [data-action=toggle]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 10_000, 'playing again');
  await page.$eval(`${card} .seek`, (input: HTMLInputElement) => {
    input.value = '12';
    input.dispatchEvent(new Event('change'));
  });
  await eventually(() => Math.abs(Number(tv.mediaStatus()?.currentTime) - 12) < 2, 10_000, 'the seek');
  await page.$eval(`${card} .volume`, (input: HTMLInputElement) => {
    input.value = '35';
    input.dispatchEvent(new Event('change'));
  });
  await eventually(() => Math.abs(tv.volume.level - 0.35) < 0.001, 10_000, 'the volume');
  await page.click(`${card} [data-action=mute]`);
  await page.waitForSelector(`${card} [data-action=mute]:has-text("Unmute")`);
  await eventually(() => tv.volume.muted, 10_000, 'muted');
  await page.click(`${card} [data-action=next]`);
  await page.waitForSelector(`${card} .now-title:has-text("Episode 2")`);
  await page.click(`${card} [data-action=prev]`);
  await page.waitForSelector(`${card} .now-title:has-text("Episode 1")`);
  await page.click(`${card} [data-action=stop]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'IDLE', 10_000, 'stopped');
  await page.waitForSelector(`${card} .now-state:has-text("IDLE")`);

  // A load that fails is said in words, with the reason, in the item's details.
  tv.failNextLoad('MEDIA_SRC_NOT_SUPPORTED');
  await page.click('#grid .tile:has-text("Episode 2")');
  // Resume, or Play: whichever its watch history offers.
  await page.click('#details .details-actions button:not([hidden])');
  await page.waitForSelector('#details-message:has-text("failed to load on Kitchen")');
  t.regex((await page.textContent('#details-message')) ?? '', /MEDIA_SRC_NOT_SUPPORTED, 104/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#details', { state: 'hidden' });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone.png'), fullPage: true });
  // On a phone the two columns stack: the device list sits below the library.
  const library = await page.locator('.library').boundingBox();
  const devices = await page.locator('.devices').boundingBox();
  t.true(devices!.y > library!.y + library!.height - 1, 'stacked on a phone');

  // The token is kept: a reload logs in by itself.
  await page.reload();
  await page.waitForSelector('#app:not([hidden])');
  t.deepEqual(errors, []);
});

test('the web page over HTTPS (plain HTTP redirects to it): log in, cast, and the device still fetches the media over plain HTTP', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(120_000);
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Clip.mp4'), { seconds: 20, faststart: true });
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', storage: await tempDir(t), secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Kitchen=${tv.host}:${tv.port}`], rescanInterval: 0, tls: true });
  t.teardown(() => cast.stop());
  await cast.start();

  const browser = await launchChromium(t, { ignoreHTTPSErrors: true });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${cast.server.port}/`);
  t.is(page.url(), `https://127.0.0.1:${cast.server.port}/`, 'plain HTTP sent the page to HTTPS');
  await logIn(page, token, 'Kitchen');
  await page.click('#grid .tile:has-text("Films")');
  await page.click('#grid .tile:has-text("Clip")');
  await page.click('#details-cast');
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'the device playing');
  const contentId = String((tv.mediaStatus()?.media as { contentId?: unknown } | undefined)?.contentId);
  t.regex(contentId, /^http:\/\/127\.0\.0\.1:\d+\/media\//, 'devices keep plain HTTP (grants, never the token)');
  await page.waitForSelector('.device[data-device] .now-state:has-text("PLAYING")');
  t.deepEqual(errors, []);
});

/** A library for the card views: a series in season folders and a flat one, music, films, photos. */
async function makeLibrary(dir: string): Promise<Array<{ name: string; path: string }>> {
  const roots = ['Shows', 'Music', 'Films', 'Photos'].map((name) => ({ name, path: path.join(dir, name) }));
  const season = path.join(dir, 'Shows', 'Show', 'Season 1');
  const other = path.join(dir, 'Shows', 'Other Show');
  for (const folder of [season, other, ...roots.map((root) => root.path)]) await fs.mkdir(folder, { recursive: true });
  // An hour long (resume at 2:00), 12 KB.
  await fs.writeFile(path.join(season, 'Show S01E01 - Pilot.mp4'), await film());
  await fs.writeFile(path.join(season, 'Show S01E02 - The Second One.mp4'), await film());
  // Out of order on purpose: the page puts seasons and episodes in order, specials after.
  await makeMp4(path.join(other, 'Other Show S02E01 - Return.mp4'), { seconds: 3, faststart: true });
  for (const name of ['Other Show S01E02 - Second.mp4', 'Other Show S01E01 - First.mp4', 'Other Show S00E01 - Behind the Scenes.mp4']) {
    await fs.copyFile(path.join(other, 'Other Show S02E01 - Return.mp4'), path.join(other, name));
  }
  await makeTaggedMp3(path.join(dir, 'Music'));
  const films = path.join(dir, 'Films');
  await fs.rename(await makeMkvWithTracks(films), path.join(films, 'Big Trip (2019).mkv'));
  await fs.rename(path.join(films, 'tracks.srt'), path.join(films, 'Big Trip (2019).en.srt'));
  await fs.rm(path.join(films, 'tracks.ass'));
  await makeCorrupt(films);
  await makeJpegWithExif(path.join(dir, 'Photos'), 1);
  return roots;
}

/** Opens a folder's card and waits for its listing. */
async function openFolder(page: Page, folderPath: string): Promise<void> {
  await page.click(`#grid .tile[data-path="${folderPath}"]`);
  await page.waitForFunction((wanted) => (history.state as { path?: string } | null)?.path === wanted && !document.querySelector(`#grid .tile[data-path="${wanted}"]`), folderPath);
}

/** Width over height of a card's picture box. */
async function artRatio(page: Page, card: string): Promise<number> {
  const box = (await page.locator(`${card} .art`).boundingBox())!;
  return box.width / box.height;
}

/** Waits until the pictures in view have loaded (or failed) and faded in: what a screenshot should show. */
async function picturesShown(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLImageElement>('.art img'))
      .filter((img) => {
        const box = img.getBoundingClientRect();
        return box.width > 0 && box.bottom > 0 && box.top < innerHeight;
      })
      .every((img) => img.complete), undefined, { timeout: 30_000 });
  await page.waitForTimeout(400);
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

test('the library as cards: artwork, durations, seasons in order, search, details with tracks, continue watching, resume or restart; on a phone and a desktop', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(180_000);
  const dir = await tempDir(t);
  const roots = await makeLibrary(dir);
  const tv = await startSimulator(t, { name: 'Living Room' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: roots, port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Living Room=${tv.host}:${tv.port}`], rescanInterval: 0, probe: true });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => {
    const probing = cast.library.probing();
    return probing !== undefined && probing.files === cast.library.size && probing.probed === probing.files && !probing.running;
  }, 60_000, 'probing to finish');
  const item = (folder: string, name: string): { id: string; name: string } => {
    const found = cast.library.folder(folder)?.items.find((entry) => entry.name === name);
    if (!found) throw new Error(`no ${folder}/${name}`);
    return found;
  };
  const pilot = item('Shows/Show/Season 1', 'Show S01E01 - Pilot.mp4');
  const second = item('Shows/Show/Season 1', 'Show S01E02 - The Second One.mp4');
  const song = item('Music', 'tagged.mp3');
  const trip = item('Films', 'Big Trip (2019).mkv');
  const corrupt = item('Films', 'corrupt.mkv');
  const card = (id: string): string => `#grid .tile[data-id="${id}"]`;

  const browser = await launchChromium(t);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  const origin = `http://127.0.0.1:${cast.server.port}`;
  await page.goto(`${origin}/?token=${token}`);
  await page.waitForSelector('#grid .tile[data-path="Shows"]');
  await page.waitForSelector('.device .device-name:has-text("Living Room")');
  t.deepEqual(await texts(page, '#grid .tile .tile-title'), ['Shows', 'Music', 'Films', 'Photos'], 'the roots as folder cards');
  t.deepEqual(await texts(page, '#grid .tile[data-path="Films"] .tile-sub'), ['2 items']);
  t.true(await page.isHidden('#continue'), 'nothing started: no "continue watching" row');
  t.true(await page.isHidden('#probing'), 'probing done: no bar');

  // Music: the title and artist – album from the tags, the duration, the embedded cover.
  await openFolder(page, 'Music');
  t.is(await page.textContent(`${card(song.id)} .tile-title`), 'Song Title');
  t.is(await page.textContent(`${card(song.id)} .tile-sub`), 'The Artist – The Album');
  t.is(await page.textContent(`${card(song.id)} .badge.duration`), '0:01');
  await page.waitForFunction((selector) => {
    const img = document.querySelector<HTMLImageElement>(selector);
    return img?.complete === true && img.naturalWidth > 0;
  }, `${card(song.id)} img[loading=lazy]`, { timeout: 30_000 });
  t.true(Math.abs((await artRatio(page, card(song.id))) - 1) < 0.02, 'a cover is square');

  // Photos are 4:3 (the box keeps its shape whether the picture loaded or not).
  await page.click('#crumbs button:has-text("Library")');
  await openFolder(page, 'Photos');
  t.true(Math.abs((await artRatio(page, '#grid .tile[data-kind=image]')) - 4 / 3) < 0.02, 'a photo is 4:3');

  // A series in season folders: a heading, the episodes in order with titles, durations, SxxEyy.
  await page.click('#crumbs button:has-text("Library")');
  await openFolder(page, 'Shows');
  await openFolder(page, 'Shows/Show');
  await openFolder(page, 'Shows/Show/Season 1');
  t.is(await page.textContent('#crumbs'), 'LibraryShowsShowSeason 1');
  t.deepEqual(await texts(page, '#grid h3.season'), ['Season 1']);
  t.deepEqual(await texts(page, '#grid .tile .tile-title'), ['Pilot', 'The Second One']);
  t.deepEqual(await texts(page, '#grid .tile .tile-sub'), ['Show · S01E01', 'Show · S01E02']);
  t.deepEqual(await texts(page, '#grid .tile .badge.duration'), ['1:00:00', '1:00:00']);
  t.true(Math.abs((await artRatio(page, card(pilot.id))) - 2 / 3) < 0.02, 'a video is a 2:3 poster');
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-series.png') });

  // A flat series folder: seasons in order, specials after them, episodes in order.
  await page.click('#crumbs button:has-text("Shows")');
  await openFolder(page, 'Shows/Other Show');
  t.deepEqual(await texts(page, '#grid h3.season'), ['Season 1', 'Season 2', 'Specials']);
  t.deepEqual(await texts(page, '#grid .tile .tile-title'), ['First', 'Second', 'Return', 'Behind the Scenes']);

  // Search as you type: results replace the grid; nothing found is said; Escape brings the folder back.
  await page.fill('#search', 'show');
  await page.waitForSelector('#grid .results:has-text("Results for “show”")');
  const found = await page.locator('#grid .tile').evaluateAll((tiles) => tiles.map((tile) => (tile as HTMLElement).dataset.id));
  t.true(found.includes(pilot.id) && found.includes(second.id), 'both episodes of Show are found');
  await page.fill('#search', 'zzqx');
  await page.waitForSelector('#grid .results:has-text("Nothing matches “zzqx”")');
  t.is(await page.locator('#grid .tile').count(), 0);
  await page.press('#search', 'Escape');
  await page.waitForSelector('#grid h3.season');
  t.is(await page.inputValue('#search'), '');

  // Details before casting, opened from the keyboard: the large picture, the tracks in words.
  await page.click('#crumbs button:has-text("Library")');
  await openFolder(page, 'Films');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-films.png') });
  await page.focus(card(trip.id));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#details[open] #details-audio-list li >> nth=1');
  t.is(await page.textContent('#details-title'), 'Big Trip');
  const audio = await texts(page, '#details-audio-list li');
  t.regex(audio[0]!, /^English · AAC · 2\.0/);
  t.regex(audio[1]!, /^Français \(French\) · Dolby Digital · 5\.1/);
  const subtitles = await texts(page, '#details-subs-list li');
  t.true(subtitles.includes('English · separate file'), subtitles.join(' | '));
  t.true(subtitles.some((line) => /French · ASS · forced/.test(line)), subtitles.join(' | '));
  t.regex((await page.getAttribute('#details-art img', 'src')) ?? '', /size=large/);
  t.false(await page.isDisabled('#details-cast'));
  await page.waitForSelector('#details-art.loaded');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-details.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#details', { state: 'hidden' });
  t.is(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), trip.id, 'the focus is back on the card');

  // A file that cannot play says why, and cannot be cast.
  await page.click(card(corrupt.id));
  await page.waitForSelector('#details[open] #details-problem:not([hidden])');
  t.regex((await page.textContent('#details-problem')) ?? '', /^This cannot be played: /);
  t.true(await page.isDisabled('#details-cast'));
  await page.click('#details-close');
  // Closing steps back over the dialog's history entry: a navigation started before that lands is aborted.
  await page.waitForFunction(() => !(history.state as { details?: boolean } | null)?.details);

  // Started and left at 2:00: after a reload the root shows it under "continue watching".
  cast.library.played(cast.library.get(pilot.id)!, 120, 3600);
  cast.library.played(cast.library.get(second.id)!, 3600, 3600, true);
  cast.library.flushHistory();
  await page.goto(`${origin}/`);
  await page.waitForSelector(`#continue:not([hidden]) .tile[data-id="${pilot.id}"] .progress`);
  t.deepEqual(await texts(page, '#continue .tile .tile-title'), ['Pilot']);
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-root.png') });
  // A finished one has its tick (and is not in the row).
  await page.fill('#search', 'second one');
  await page.waitForSelector(`${card(second.id)} .badge.tick`);
  await page.press('#search', 'Escape');
  await page.waitForSelector('#continue:not([hidden])');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-root-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // A phone: two columns, the details full screen.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.click('#crumbs button:has-text("Library")');
  await page.waitForSelector('#continue:not([hidden]) .tile');
  // The new width reaches media queries with a later frame, not with setViewportSize's answer: waited for.
  const columns = (): number => getComputedStyle(document.querySelector('#grid .grid')!).gridTemplateColumns.split(' ').length;
  await page.waitForFunction((wanted) => getComputedStyle(document.querySelector('#grid .grid')!).gridTemplateColumns.split(' ').length === wanted, 2, { timeout: 10_000 }).catch(() => {});
  t.is(await page.evaluate(columns), 2, 'two columns on a phone');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-root.png') });
  await openFolder(page, 'Shows');
  await openFolder(page, 'Shows/Other Show');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-series.png') });
  await page.click('#grid .tile:has-text("Return")');
  await page.waitForSelector('#details[open]');
  const dialog = (await page.locator('#details').boundingBox())!;
  t.deepEqual([dialog.x, dialog.y, dialog.width, dialog.height], [0, 0, 375, 812], 'the details fill the screen');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-details.png') });
  // Back (a phone's gesture) closes the details, and stays in the folder.
  await page.goBack();
  await page.waitForSelector('#details', { state: 'hidden' });
  t.is(await page.evaluate(() => (history.state as { path?: string } | null)?.path), 'Shows/Other Show');
  await page.click('#crumbs button:has-text("Library")');

  // Resume (on the phone) casts without startAt (where it was left); "from the start" sends 0.
  await page.click(`#continue .tile[data-id="${pilot.id}"]`);
  t.is(await page.textContent('#details-resume'), '▶ Resume from 2:00');
  await picturesShown(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-resume.png') });
  t.true(await page.isVisible('#details-restart'));
  t.true(await page.isHidden('#details-cast'));
  await page.click('#details-resume');
  await page.waitForSelector('#details', { state: 'hidden' });
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING' && Number(tv.mediaStatus()?.currentTime) > 100, 15_000, 'playing from about 2:00');
  await page.click(`#continue .tile[data-id="${pilot.id}"]`);
  await page.click('#details-restart');
  await page.waitForSelector('#details', { state: 'hidden' });
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING' && Number(tv.mediaStatus()?.currentTime) < 30, 15_000, 'playing from the start');

  t.log(`screenshots in ${SCREENSHOTS}`);
  t.deepEqual(errors, []);
});

test('the web page while the library is read: the bar and its count, then the notice that ffprobe is missing', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(60_000);
  const dir = await tempDir(t);
  await makeTaggedMp3(dir);
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Music', path: dir }], port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, rescanInterval: 0, probe: true, ffprobePath: path.join(dir, 'no-ffprobe') });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => cast.library.probing()?.available === false, 10_000, 'ffprobe found missing');

  const browser = await launchChromium(t);
  const page = await browser.newPage();
  // The first answer says probing runs (a big library half read); the next ones are NasCast's.
  let asked = 0;
  await page.route('**/api/status', async (route) => {
    if (asked++ > 0) return route.continue();
    await route.fulfill({ json: { media: 10_000, scanning: false, probing: { files: 10_000, probed: 6200, failed: 3, running: true, available: true } } });
  });
  await page.goto(`http://127.0.0.1:${cast.server.port}/?token=${token}`);
  await page.waitForSelector('#probing:not([hidden])');
  t.is(await page.textContent('#probing-text'), 'Reading the library: 62 % (6,200 of 10,000)');
  // Read again 2 s later: done, and without ffprobe.
  await page.waitForSelector('#probing', { state: 'hidden', timeout: 10_000 });
  await page.waitForSelector('#probe-missing:not([hidden])');
  t.is(await page.textContent('#probe-missing'), 'ffprobe is not installed — durations and artwork are unavailable');
  t.true(asked >= 2);
});
