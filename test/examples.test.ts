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
