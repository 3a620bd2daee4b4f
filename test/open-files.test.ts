import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { OpenFiles } from '../src/http/open-files.ts';
import { eventually, tempDir } from './helpers/media-server.ts';

/** One file in a temp folder that is removed after the test. */
async function tempFile(t: ExecutionContext, content = 'hello'): Promise<string> {
  const file = path.join(await tempDir(t, 'nascast-open-files-'), 'film.mp4');
  fs.writeFileSync(file, content);
  return file;
}

const isOpen = (fd: number): boolean => fs.existsSync(`/proc/self/fd/${fd}`);

/** Resolves once `fd` is closed (fs.close calls back on the thread pool's time); rejects after 5 s. */
const closed = (fd: number): Promise<void> => eventually(() => !isOpen(fd), 5000, `descriptor ${fd} to close`);

// Serial: descriptor numbers are the process's, and a closed one may be reused by a parallel test.

test.serial('acquireFresh gives nothing for a file never opened, and the cached file once acquire has opened it', async (t) => {
  const file = await tempFile(t);
  const files = new OpenFiles({ revalidateMs: 60_000 });
  t.teardown(() => files.close());
  t.is(files.acquireFresh(file), undefined);

  const opened = await files.acquire(file, () => Promise.resolve(file));
  t.is(opened.size, 5);
  const again = files.acquireFresh(file);
  t.is(again, opened);
  t.is(opened.refs, 2, 'each acquire takes its own reference');

  files.release(opened);
  files.release(opened);
  t.is(opened.refs, 0);
  t.true(isOpen(opened.fd), 'an unused descriptor stays cached');
  t.is(files.acquireFresh(file), opened);
  files.release(opened);
});

test.serial('acquireFresh gives nothing once the stat is older than revalidateMs; acquire checks it and keeps an unchanged file', async (t) => {
  const file = await tempFile(t);
  const files = new OpenFiles({ revalidateMs: 0 }); // every check is stale
  t.teardown(() => files.close());
  const opened = await files.acquire(file, () => Promise.resolve(file));
  files.release(opened);

  t.is(files.acquireFresh(file), undefined);
  t.is(opened.refs, 0, 'a refused acquireFresh takes no reference');
  const checked = await files.acquire(file, () => Promise.resolve(file));
  t.is(checked, opened, 'same size, mtime and inode: the same descriptor');
  files.release(checked);
});

test.serial('a changed file is opened anew and the old descriptor closes when its last reader releases it', async (t) => {
  const file = await tempFile(t);
  const files = new OpenFiles({ revalidateMs: 0 });
  t.teardown(() => files.close());
  const old = await files.acquire(file, () => Promise.resolve(file));

  fs.writeFileSync(file, 'a longer body'); // new size
  const fresh = await files.acquire(file, () => Promise.resolve(file));
  t.not(fresh, old);
  t.is(fresh.size, 13);
  t.true(old.retired);
  t.true(isOpen(old.fd), 'still read by its request');
  files.release(old);
  await closed(old.fd); // once released
  t.true(isOpen(fresh.fd));
  files.release(fresh);
});

test.serial('close() closes unused descriptors now and used ones when released; acquireFresh then gives nothing', async (t) => {
  const file = await tempFile(t);
  const files = new OpenFiles({ revalidateMs: 60_000 });
  const idle = await files.acquire(file, () => Promise.resolve(file));
  files.release(idle);
  const other = await tempFile(t, 'other');
  const busy = await files.acquire(other, () => Promise.resolve(other));

  files.close();
  t.is(files.acquireFresh(file), undefined);
  t.is(files.acquireFresh(other), undefined);
  await closed(idle.fd); // the unused one, at once
  t.true(busy.retired);
  t.true(isOpen(busy.fd), 'the used one stays open for its request');
  files.release(busy);
  await closed(busy.fd);
  t.is(files.size, 0);
});
