// Play a folder of the sample library as a queue, skip through it, and follow the
// device's status: the NasCast object, as most programs use it.
//
//   npm run build && node examples/play-a-folder.ts [[name=]host[:port]]
//
// With no address it plays to a simulated Chromecast started here, so it runs anywhere.
import os from 'node:os';
import path from 'node:path';
import { NasCast, NasCastError } from 'homebridge-nascast';
import { ChromecastSimulator } from 'homebridge-nascast/simulator';

const simulator = process.argv[2] ? undefined : new ChromecastSimulator({ name: 'Example TV', advertise: false });
await simulator?.start();
const device = process.argv[2] ?? `Example TV=${simulator!.host}:${simulator!.port}`;

const cast = new NasCast({
  media: [{ name: 'Samples', path: new URL('media', import.meta.url).pathname }],
  port: 0,
  storage: path.join(os.tmpdir(), 'nascast-example'), // the token file; yours lives in ~/.config/nascast
  discovery: false, // this example knows its device; leave discovery on to find yours
  devices: [device],
});
try {
  await cast.start();
  cast.on('status', (id, status) => console.log(`  ${status.state.padEnd(9)} ${status.media?.title ?? ''}`));
  // A device reached by address is up once it answers.
  const name = device.includes('=') ? device.slice(0, device.indexOf('=')) : device;
  while (!cast.devices().some((entry) => entry.name === name || entry.id === name)) await new Promise((resolve) => setTimeout(resolve, 50));

  const player = await cast.player(name);
  const music = cast.library.folder('Samples/Music')!;
  console.log(`queue: ${music.items.map((item) => item.name).join(', ')}`);
  await player.load(music); // a folder plays as a queue, in natural order
  await player.next();
  await player.next();
  await player.prev();
  console.log(`now: ${player.status().media?.title}`);
  await player.stop();
} catch (error) {
  console.error(error instanceof NasCastError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await cast.stop();
  await simulator?.stop();
}
