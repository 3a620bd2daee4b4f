// The NasCast media server over one folder, for the benchmark: prints the signed
// path of each file as JSON once listening. Plain JavaScript over the built
// package, as users run it: a .ts entry would load Node's type stripper, which
// costs ~14 MiB of RSS that no installed NasCast pays.
import { randomBytes } from 'node:crypto';
import { MediaLibrary, MediaServer } from '../../dist/src/index.js';

const [folder = '.', port = '0'] = process.argv.slice(2);
const secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
const library = new MediaLibrary({ roots: [{ name: 'Bench', path: folder }], key: secrets.signingKey, watch: false, rescanInterval: 0 });
await library.start();
const server = new MediaServer({ library, secrets, port: Number(port), host: '127.0.0.1' });
await server.start();
/** @type {Record<string, string>} */
const paths = {};
for (const item of library.items()) {
  const url = new URL(server.mediaUrl(item));
  paths[item.name] = url.pathname + url.search;
}
console.log(JSON.stringify({ port: server.port, paths }));
process.on('SIGTERM', () => {
  void server.stop().then(() => library.close()).then(() => process.exit(0));
});
