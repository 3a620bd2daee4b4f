// Serve a folder of media and print a signed URL for every file in it: the URL a
// Chromecast (or any browser, or VLC) can play without any header. Ctrl-C stops.
//
//   npm run build && node examples/serve-a-folder.ts [folder] [port]
//
// Node 24 runs this TypeScript file as it is. It imports the package by its name,
// as your code would.
import os from 'node:os';
import path from 'node:path';
import { consoleLogger, limitHeapGrowth, loadSecrets, MediaLibrary, MediaServer } from 'homebridge-nascast';

// Keep V8's heap from growing with the churn of seeking players (process-wide; the
// NasCast object and the nascast command do this themselves).
limitHeapGrowth();

const folder = path.resolve(process.argv[2] ?? new URL('media', import.meta.url).pathname);
const port = Number(process.argv[3] ?? 8585);
const logger = consoleLogger();

// The token and signing key live in a 0600 file; here a throwaway folder.
const secrets = await loadSecrets(path.join(os.tmpdir(), 'nascast-example'));
const library = new MediaLibrary({ roots: [{ name: path.basename(folder), path: folder }], key: secrets.signingKey, logger });
await library.start();
const server = new MediaServer({ library, secrets, port, logger });
await server.start();

for (const item of library.items()) {
  console.log(`${item.kind.padEnd(5)} ${item.path}\n      ${server.mediaUrl(item)}`);
  for (const track of item.subtitles) console.log(`      subtitles (${track.lang ?? 'und'}): ${server.subtitleUrl(track)}`);
}
library.on('updated', ({ path: changed }) => logger.info(`rescanned ${changed}: ${library.size} files`));

process.once('SIGINT', () => {
  void server.stop().then(() => library.close());
});
