// The NasCast media server over one folder, for the benchmark: prints the signed
// path of each file as JSON once listening. It runs the built package (as users
// do), not the sources: type stripping at load costs ~40 MiB of RSS.
import { randomBytes } from 'node:crypto';
import { MediaLibrary, MediaServer } from '../../dist/src/index.js';

const [folder = '.', port = '0'] = process.argv.slice(2);
const secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
const library = new MediaLibrary({ roots: [{ name: 'Bench', path: folder }], key: secrets.signingKey, watch: false, rescanInterval: 0 });
await library.start();
const server = new MediaServer({ library, secrets, port: Number(port), host: '127.0.0.1' });
await server.start();
const paths: Record<string, string> = {};
for (const item of library.items()) {
  const url = new URL(server.mediaUrl(item));
  paths[item.name] = url.pathname + url.search;
}
console.log(JSON.stringify({ port: server.port, paths }));
process.on('SIGTERM', () => {
  void server.stop().then(() => library.close()).then(() => process.exit(0));
});
