import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { OpenFiles } from '../src/http/open-files.ts';
import { eventually, patternBytes, startMediaServer, tempDir } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

/** The descriptors of this process open on `file` (Linux shows a deleted one as `<path> (deleted)`). */
function descriptorsOn(file: string): string[] {
  const found: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target === file || target === `${file} (deleted)`) found.push(fd);
    } catch {
      // closed while we looked
    }
  }
  return found;
}

const isOpen = (fd: number): boolean => fs.existsSync(`/proc/self/fd/${fd}`);

// Serial: descriptor numbers are the process's, and a closed one may be reused by a parallel test.

test.serial('a deleted file that is not asked for again loses its cached descriptor within seconds, and then gets 404', async (t) => {
  const server = await startMediaServer(t, { 'film.mp4': patternBytes(4096) }, { library: { watch: false } });
  const file = path.join(server.dir, 'film.mp4');
  const mediaPath = server.mediaPath('film.mp4');
  const first = await request(server.origin, mediaPath, { headers: { range: 'bytes=0-99' } });
  t.is(first.status, 206);
  t.is(descriptorsOn(file).length, 1, 'the server caches one descriptor for the file');

  fs.rmSync(file);
  // No request for the file from here on: only the cache's own checks may close it.
  await eventually(() => descriptorsOn(file).length === 0, 10_000, 'the deleted file’s descriptor to close');
  t.is(server.server.openDescriptors, 0);

  const after = await request(server.origin, mediaPath);
  t.is(after.status, 404);
  t.is(JSON.parse(after.body.toString()).error, 'NOT_FOUND');
});

test.serial('a request for a file deleted after the scan gets 404, not 403', async (t) => {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
  // Not watched: the library lists the file until a rescan, as it does for the moments before the watcher notices.
  const server = await startMediaServer(t, { 'film.mp4': 'a film', 'Season/episode.mp4': 'an episode' }, { library: { watch: false }, server: { logger } });
  const filmPath = server.mediaPath('film.mp4');
  const episodePath = server.mediaPath('Season/episode.mp4');
  fs.rmSync(path.join(server.dir, 'film.mp4'));
  fs.rmSync(path.join(server.dir, 'Season'), { recursive: true });
  fs.writeFileSync(path.join(server.dir, 'Season'), 'now a file, so the path is ENOTDIR');

  for (const [what, mediaPath] of [['deleted file', filmPath], ['file whose folder became a file', episodePath]] as const) {
    const response = await request(server.origin, mediaPath);
    t.is(response.status, 404, what);
    t.is(JSON.parse(response.body.toString()).error, 'NOT_FOUND', what);
  }
  t.false(warnings.some((warning) => warning.includes('outside')), warnings.join('\n'));
});

test.serial('the sweep keeps an unchanged file open, and closes a deleted one in use only when its reader releases it', async (t) => {
  const dir = await tempDir(t, 'nascast-open-files-');
  const kept = path.join(dir, 'kept.mp4');
  const deleted = path.join(dir, 'deleted.mp4');
  fs.writeFileSync(kept, 'kept');
  fs.writeFileSync(deleted, 'deleted');
  const files = new OpenFiles({ revalidateMs: 60_000, sweepMs: 20 });
  t.teardown(() => files.close());
  const idle = await files.acquire(kept, () => Promise.resolve(kept));
  files.release(idle);
  const busy = await files.acquire(deleted, () => Promise.resolve(deleted));
  const checked = idle.checkedAt;

  fs.rmSync(deleted);
  await eventually(() => busy.retired, 5000, 'the sweep to retire the deleted file');
  t.true(isOpen(busy.fd), 'its request still reads it');
  t.is(files.acquireFresh(deleted), undefined, 'no new request gets it');
  await eventually(() => idle.checkedAt > checked, 5000, 'the sweep to check the unchanged file');
  t.false(idle.retired);
  t.true(isOpen(idle.fd));
  t.is(files.size, 1);

  files.release(busy);
  await eventually(() => !isOpen(busy.fd), 5000, 'the deleted file’s descriptor to close');
  t.true(isOpen(idle.fd));
});
