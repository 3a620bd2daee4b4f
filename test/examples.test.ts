import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { request } from './helpers/raw-http.ts';

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
  const script = fileURLToPath(new URL('../examples/cast-a-file.ts', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after 30 s: ${output} ${errors}`)), 30_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  t.is(code, 0, errors);
  t.regex(output, /casting Samples\/Films\/Test Pattern\.mp4 \(subtitles: en\)/);
  t.regex(output, /playing after \d+ ms/);
  t.regex(output, /PAUSED\s+5\.0 s/);
  t.regex(output, /volume 30%/);
  t.regex(output, /probed Tone 330 Hz: audio\/mpeg, \d+ bytes, ranges yes/);
  t.regex(output, /IDLE/);
});
