import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { mediaId } from '../src/library/ids.ts';
import { startMediaServer, tempDir } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
const corpusFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'traversal-corpus.txt');

/** Sends a raw request line (any bytes), returns status and body. */
function rawGet(port: number, target: Buffer, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    });
    socket.write(
      Buffer.concat([
        Buffer.from('GET '),
        target,
        Buffer.from(` HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`),
      ]),
    );
  });
}

function toBytes(line: string): Buffer {
  const parts: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === 'x') {
      parts.push(parseInt(line.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      parts.push(line.charCodeAt(i));
    }
  }
  return Buffer.from(parts);
}

test('the traversal corpus never reaches a file outside the roots', async (t) => {
  const outsideDir = await tempDir(t, 'nascast-outside-');
  const outside = path.join(outsideDir, 'secret.mp4');
  await fs.writeFile(outside, SECRET);
  const server = await startMediaServer(t, { 'clip.mp4': 'clip', '.hidden.mp4': SECRET, 'sub/.hidden/deep.mp4': SECRET });
  await fs.symlink(outsideDir, path.join(server.dir, 'outside-link'));
  await fs.symlink(outside, path.join(server.dir, 'secret.mp4'));
  await server.library.rescan();
  t.is(server.library.size, 1, 'only clip.mp4 is media: hidden files and outside links are not');

  const lines = (await fs.readFile(corpusFile, 'utf8')).split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  t.true(lines.length >= 40, `corpus has ${lines.length} attempts`);
  const id = server.item('clip.mp4').id;
  for (const line of lines) {
    const target = toBytes(line.replaceAll('{ID}', id).replaceAll('{OUTSIDE}', encodeURIComponent(outside)));
    const { status, text } = await rawGet(server.server.port, target, server.secrets.token);
    t.true([400, 403, 404].includes(status), `${line} → ${status}`);
    t.false(text.includes(SECRET), `${line} leaked the secret`);
    t.false(text.includes('root:x:0:0'), `${line} leaked /etc/passwd`);
  }
});

test('ids of hidden files and of files behind outside symlinks are not served, even signed', async (t) => {
  const outsideDir = await tempDir(t, 'nascast-outside-');
  await fs.writeFile(path.join(outsideDir, 'secret.mp4'), SECRET);
  const server = await startMediaServer(t, { '.hidden.mp4': SECRET, '.private/film.mp4': SECRET, 'ok.mp4': 'ok' });
  await fs.symlink(path.join(outsideDir, 'secret.mp4'), path.join(server.dir, 'link.mp4'));
  await server.library.rescan();
  for (const relative of ['.hidden.mp4', '.private/film.mp4', 'link.mp4']) {
    const id = mediaId('Media', relative, server.secrets.signingKey);
    const response = await request(server.origin, `/media/${id}`, { headers: { authorization: `Bearer ${server.secrets.token}` } });
    t.is(response.status, 404, relative);
    t.false(response.body.toString().includes(SECRET));
  }
});

test('a file swapped for a symlink that leads outside after the scan gets 403', async (t) => {
  const outsideDir = await tempDir(t, 'nascast-outside-');
  await fs.writeFile(path.join(outsideDir, 'secret.mp4'), SECRET);
  const server = await startMediaServer(t, { 'film.mp4': 'a real film' }, { library: { watch: false } });
  const mediaPath = server.mediaPath('film.mp4');
  await fs.rm(path.join(server.dir, 'film.mp4'));
  await fs.symlink(path.join(outsideDir, 'secret.mp4'), path.join(server.dir, 'film.mp4'));
  const response = await request(server.origin, mediaPath);
  t.is(response.status, 403);
  t.false(response.body.toString().includes(SECRET));
});
