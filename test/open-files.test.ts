import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { OpenFiles } from '../src/http/open-files.ts';

/** A temp folder with one file, removed after the test. */
function tempFile(t: ExecutionContext, content = 'hello'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-open-files-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'film.mp4');
  fs.writeFileSync(file, content);
  return file;
}

const isOpen = (fd: number): boolean => fs.existsSync(`/proc/self/fd/${fd}`);

/** Resolves once `fd` is closed (fs.close calls back on the thread pool's time), failing after 5 s. */
async function closed(fd: number): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (isOpen(fd)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

// Serial: descriptor numbers are the process's, and a closed one may be reused by a parallel test.

test.serial('acquireFresh gives nothing for a file never opened, and the cached file once acquire has opened it', async (t) => {
  const file = tempFile(t);
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
  const file = tempFile(t);
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
  const file = tempFile(t);
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
  t.true(await closed(old.fd), 'closed once released');
  t.true(isOpen(fresh.fd));
  files.release(fresh);
});

test.serial('close() closes unused descriptors now and used ones when released; acquireFresh then gives nothing', async (t) => {
  const file = tempFile(t);
  const files = new OpenFiles({ revalidateMs: 60_000 });
  const idle = await files.acquire(file, () => Promise.resolve(file));
  files.release(idle);
  const other = tempFile(t, 'other');
  const busy = await files.acquire(other, () => Promise.resolve(other));

  files.close();
  t.is(files.acquireFresh(file), undefined);
  t.is(files.acquireFresh(other), undefined);
  t.true(await closed(idle.fd), 'the unused descriptor closes at once');
  t.true(busy.retired);
  t.true(isOpen(busy.fd), 'the used one stays open for its request');
  files.release(busy);
  t.true(await closed(busy.fd));
  t.is(files.size, 0);
});
