import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { patternBytes, tempDir, writeTree } from './helpers/media-server.ts';

const CHILD = fileURLToPath(new URL('helpers/heap-child.mjs', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));
const SIZE = 8 * 1024 * 1024;

interface HeapChild {
  readonly port: number;
  readonly path: string;
  /** The young generation's size now, in bytes. */
  newSpace(): Promise<number>;
}

/** Starts test/helpers/heap-child.mjs; it is stopped (stdin closed, then killed) when the test ends. */
async function startChild(t: ExecutionContext, heap: 'limited' | 'v8-default'): Promise<HeapChild & { newSpaceAtStart: number }> {
  const dir = await tempDir(t);
  await writeTree(dir, { 'film.mp4': patternBytes(SIZE) });
  const child = spawn(process.execPath, [CHILD, dir, heap], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  const lines = readline.createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let ended = false;
  lines.on('line', (line) => (waiting.shift() ?? ((l: string) => queue.push(l)))(line));
  lines.on('close', () => {
    ended = true;
    for (const answer of waiting.splice(0)) answer(undefined);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      if (ended) return reject(new Error('the heap child exited'));
      const timer = setTimeout(() => reject(new Error('the heap child did not answer within 20 s')), 20_000);
      waiting.push((line) => {
        clearTimeout(timer);
        if (line === undefined) reject(new Error('the heap child exited'));
        else resolve(line);
      });
    });
  const first = JSON.parse(await nextLine()) as { port: number; path: string; newSpace: number };
  return {
    port: first.port,
    path: first.path,
    newSpaceAtStart: first.newSpace,
    async newSpace() {
      child.stdin.write('stats\n');
      return (JSON.parse(await nextLine()) as { newSpace: number }).newSpace;
    },
  };
}

/** What a seeking player does, `count` times, 50 at a time: open-ended ranges dropped at the first bytes. */
async function abortedRequests(server: HeapChild, count: number): Promise<void> {
  for (let done = 0; done < count; done += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const start = ((done + i) * 7919 * 4096) % (SIZE - 4096);
        return new Promise<void>((resolve) => {
          const request = http.get({ host: '127.0.0.1', port: server.port, path: server.path, headers: { range: `bytes=${start}-` }, agent: false }, (response) => {
            response.once('data', () => request.destroy());
            response.on('error', () => {});
          });
          request.on('error', () => {});
          request.on('close', () => resolve());
        });
      }),
    );
  }
}

// The young generation grows with surviving bytes, not with time: 2,000 aborted
// requests are plenty for V8's sizing to double it (the reference shows it does).
test('with limitHeapGrowth, aborted requests do not grow the young generation', async (t) => {
  const server = await startChild(t, 'limited');
  await abortedRequests(server, 2000);
  const after = await server.newSpace();
  t.log(`new space ${server.newSpaceAtStart / 2 ** 20} → ${after / 2 ** 20} MiB`);
  t.true(after <= server.newSpaceAtStart, 'new space grew');
});

test("with V8's own sizing, the same requests do grow it (the reference: the limit is what stops it)", async (t) => {
  const server = await startChild(t, 'v8-default');
  await abortedRequests(server, 2000);
  const after = await server.newSpace();
  t.log(`new space ${server.newSpaceAtStart / 2 ** 20} → ${after / 2 ** 20} MiB`);
  t.true(after > server.newSpaceAtStart, 'new space did not grow');
});

test('importing the package loads neither got nor undici (~17 MiB of RSS between them, measured)', async (t) => {
  const script = `await import(${JSON.stringify(PACKAGE)}); console.log(JSON.stringify(process.moduleLoadList))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  const loaded = JSON.parse(stdout) as string[];
  // got needs http2; node:http's ES module facade loads undici.
  t.false(loaded.includes('NativeModule http2'), 'http2 was loaded (got?)');
  t.false(loaded.includes('NativeModule internal/deps/undici/undici'), 'undici was loaded (an ES import of node:http?)');
});
