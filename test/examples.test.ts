import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { NasCast } from '../src/nascast.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';
import { startSimulator } from './helpers/simulator.ts';

/** Runs `examples/<name>` to its end; resolves with its exit code and output. */
async function runExample(t: ExecutionContext, name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string; errors: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  t.teardown(() => child.kill('SIGKILL'));
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} still running after 30 s: ${output} ${errors}`)), 30_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output, errors };
}

const example = fileURLToPath(new URL('../examples/serve-a-folder.ts', import.meta.url));

test('examples/serve-a-folder.ts prints signed URLs that play, and stops on SIGINT', async (t) => {
  const child = spawn(process.execPath, [example, fileURLToPath(new URL('../examples/media', import.meta.url)), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let output = '';
  const urls = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URLs printed: ${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/http:\/\/\S+/g) ?? [];
      if (found.length >= 3) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('close', () => reject(new Error(`exited early: ${output}`)));
  });
  t.regex(output, /video media\/Films\/Test Pattern\.mp4/);
  t.regex(output, /subtitles \(en\)/);
  for (const url of urls) {
    const parsed = new URL(url);
    // Fetched over loopback, whatever LAN address the URL names.
    const response = await request(`http://127.0.0.1:${parsed.port}`, parsed.pathname + parsed.search, { headers: { range: 'bytes=0-99' } });
    t.true([200, 206].includes(response.status), url);
  }
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGINT');
  t.is(await exited, 0);
});

test('examples/cast-a-file.ts casts a sample with subtitles to a simulator, drives it, probes a URL and exits 0', async (t) => {
  const { code, output, errors } = await runExample(t, 'cast-a-file.ts');
  t.is(code, 0, errors);
  t.regex(output, /casting Samples\/Films\/Test Pattern\.mp4 \(subtitles: en\)/);
  t.regex(output, /playing after \d+ ms/);
  t.regex(output, /PAUSED\s+5\.0 s/);
  t.regex(output, /volume 30%/);
  t.regex(output, /probed Tone 330 Hz: audio\/mpeg, \d+ bytes, ranges yes/);
  t.regex(output, /IDLE/);
});

test('examples/discover-devices.ts reports a device as it comes up, and a summary', async (t) => {
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const { code, output, errors } = await runExample(t, 'discover-devices.ts', ['1', `Kitchen=${tv.host}:${tv.port}`]);
  t.is(code, 0, errors);
  t.regex(output, new RegExp(`^up +Kitchen \\(.+\\) at ${tv.host}:${tv.port}, found by static$`, 'm'));
  t.regex(output, /^1 found in 1 s$/m);
});

test('examples/play-a-folder.ts plays a folder as a queue on the device it is given and skips through it', async (t) => {
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const { code, output, errors } = await runExample(t, 'play-a-folder.ts', [`Kitchen=${tv.host}:${tv.port}`]);
  t.is(code, 0, errors);
  t.regex(output, /^queue: Tone 330 Hz\.mp3, Tone 440 Hz\.mp3, Tone 550 Hz\.mp3$/m);
  t.regex(output, /PLAYING\s+Tone 550 Hz/);
  t.regex(output, /^now: Tone 440 Hz$/m);
  t.is(tv.mediaStatus()?.playerState, 'IDLE', 'stopped at the end');
});

test('examples/remote-control.ts drives a NasCast over HTTPS through ControlClient with the token and the pinned fingerprint', async (t) => {
  const tv = await startSimulator(t, { name: 'Den' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Samples', path: fileURLToPath(new URL('../examples/media', import.meta.url)) }], port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Den=${tv.host}:${tv.port}`], rescanInterval: 0, tls: true, storage: await tempDir(t) });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => cast.devices().length === 1, 5000, 'the device listed');
  const pinned = { NASCAST_FINGERPRINT: cast.fingerprint! };
  const { code, output, errors } = await runExample(t, 'remote-control.ts', [cast.peopleUrl, token, 'Den', 'Samples/Music'], pinned);
  t.is(code, 0, errors);
  t.regex(output, /^devices: Den$/m);
  t.regex(output, /^library: Samples$/m);
  t.regex(output, /^playing Samples\/Music after \d+ ms$/m);
  t.regex(output, /^now: PLAYING at volume 25%$/m);
  t.is(tv.volume.level, 0.25);
  const refused = await runExample(t, 'remote-control.ts', [cast.peopleUrl, 'not-the-token-at-all', 'Den'], pinned);
  t.is(refused.code, 1);
  t.regex(refused.errors, /^UNAUTHORIZED: /m);
});

test('examples/run-a-simulator.ts drives a simulator, fails a load on purpose and survives a dropped connection', async (t) => {
  const { code, output, errors } = await runExample(t, 'run-a-simulator.ts');
  t.is(code, 0, errors);
  t.regex(output, /^load failed as a device fails it: .*\(MEDIA_SRC_NOT_SUPPORTED, 104\)$/m);
  t.regex(output, /^load failed on purpose: .*\(MEDIA_DECODE, 102\)$/m);
  t.regex(output, /^volume now 0\.8$/m);
  t.regex(output, /^the session reconnected by itself$/m);
});

test('examples/titles-from-names.ts reads series, films and songs from their names, and tags win over names', async (t) => {
  const { code, output, errors } = await runExample(t, 'titles-from-names.ts');
  t.is(code, 0, errors);
  t.regex(output, /"kind":"episode","title":"The Expanse S02E05","series":"The Expanse","season":2,"episode":5/);
  t.regex(output, /"kind":"film","title":"My Movie","year":2019/);
  t.regex(output, /"kind":"track","title":"Be My Husband","track":3,"artist":"Nina Simone","album":"Pastel Blues"}/);
  t.regex(output, /"year":1965}$/m);
});

test('examples/know-the-library.ts prints durations and tracks, searches, and resumes', async (t) => {
  const { code, output, errors } = await runExample(t, 'know-the-library.ts');
  t.is(code, 0, errors);
  t.regex(output, /^4 files, 4 probed, 0 unreadable$/m, 'the .srt is a subtitle, not a file');
  t.regex(output, /Test Pattern · \d+:\d\d · audio: /);
  t.regex(output, /Tone 440 Hz · 0:0\d · audio: und mp3 1ch/);
  t.regex(output, /^search "tone": Tone 330 Hz\.mp3, Tone 440 Hz\.mp3, Tone 550 Hz\.mp3$/m);
  t.regex(output, /^resume .* at 2:00; continue watching: /m);
});

test('examples/what-each-device-gets.ts says what each model gets of each file, and why', async (t) => {
  const { code, output, errors } = await runExample(t, 'what-each-device-gets.ts');
  t.is(code, 0, errors);
  t.regex(output, /Films\/Test Pattern\.mp4\n {2}Chromecast \(3rd generation\): direct \(Chromecast \(3rd generation\) plays MP4 with H\.264 /);
  t.regex(output, /Music\/Tone 440 Hz\.mp3\n {2}Chromecast \(3rd generation\): direct/);
});
