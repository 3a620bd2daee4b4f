// NasCast serving one folder, for the benchmark, as `nascast serve --no-discovery`
// runs it (the NasCast object: library, media server, control channel); prints the
// signed path of each file as JSON once listening. A third argument `v8-default`
// leaves V8's own heap sizing (the reference for limitHeapGrowth). Plain JavaScript
// over the built package, as users run it: a .ts entry would load Node's type
// stripper, which costs ~14 MiB of RSS that no installed NasCast pays.
import { randomBytes } from 'node:crypto';

const [folder = '.', port = '0', heap = 'limited'] = process.argv.slice(2);
// As the nascast command does (src/cli/limit-heap.ts): before the package loads.
if (heap !== 'v8-default') (await import('../../dist/src/heap.js')).limitHeapGrowth();
const { NasCast } = await import('../../dist/src/index.js');
const secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
const cast = new NasCast({
  media: [{ name: 'Bench', path: folder }],
  secrets,
  port: Number(port),
  host: '127.0.0.1',
  discovery: false,
  rescanInterval: 0,
  limitHeapGrowth: heap !== 'v8-default',
});
await cast.start();
/** @type {Record<string, string>} */
const paths = {};
for (const item of cast.library.items()) {
  const url = new URL(cast.server.mediaUrl(item));
  paths[item.name] = url.pathname + url.search;
}
console.log(JSON.stringify({ port: cast.server.port, paths }));
process.on('SIGTERM', () => {
  void cast.stop().then(() => process.exit(0));
});
