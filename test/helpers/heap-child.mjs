// A NasCast server in a process of its own, for test/heap.test.ts: the V8 heap is
// per process, so its young generation can only be watched from outside. Serves the
// folder given first (the test makes and removes it); prints `{ port, path, newSpace }`
// once listening and `{ newSpace }` for each line read on stdin; stops when stdin
// ends. `v8-default` as the second argument leaves V8's own heap sizing. Plain
// JavaScript over the build, as users run it.
import readline from 'node:readline';
import v8 from 'node:v8';
import { randomBytes } from 'node:crypto';

const [dir = '.', heap = 'limited'] = process.argv.slice(2);
if (heap !== 'v8-default') (await import('../../dist/src/heap.js')).limitHeapGrowth();
const { NasCast } = await import('../../dist/src/index.js');

const cast = new NasCast({
  media: [{ name: 'Films', path: dir }],
  secrets: { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) },
  port: 0,
  host: '127.0.0.1',
  discovery: false,
  rescanInterval: 0,
  limitHeapGrowth: heap !== 'v8-default',
});
await cast.start();
const newSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
const [film] = cast.library.items();
const url = new URL(cast.server.mediaUrl(film));
console.log(JSON.stringify({ port: cast.server.port, path: url.pathname + url.search, newSpace: newSpace() }));
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', () => console.log(JSON.stringify({ newSpace: newSpace() })));
lines.on('close', () => {
  void cast.stop().finally(() => process.exit(0));
});
