// Cast a file of the sample library, with its subtitles, then pause, seek, change the
// volume and stop, printing the device's status as it changes.
//
//   npm run build && node examples/cast-a-file.ts [host[:port]]
//
// With no address it casts to a simulated Chromecast started here, so it runs
// anywhere; give a real Chromecast's address to watch it on a TV. Node 24 runs this
// TypeScript file as it is; it imports the package by name, as your code would.
import os from 'node:os';
import path from 'node:path';
import { CastSession, consoleLogger, DefaultMediaPlayer, loadSecrets, MediaLibrary, MediaServer, NasCastError, probeMediaUrl } from 'homebridge-nascast';
import { ChromecastSimulator } from 'homebridge-nascast/simulator';

const logger = consoleLogger();
const [host, port] = (process.argv[2] ?? '').split(':');
const secrets = await loadSecrets(path.join(os.tmpdir(), 'nascast-example'));
const library = new MediaLibrary({ roots: [{ name: 'Samples', path: new URL('media', import.meta.url).pathname }], key: secrets.signingKey, logger });
const server = new MediaServer({ library, secrets, port: 0, logger });
const simulator = host ? undefined : new ChromecastSimulator({ name: 'Example TV', advertise: false });
let session: CastSession | undefined;
try {
  await library.start();
  await server.start();
  await simulator?.start();
  session = new CastSession({ host: host || simulator!.host, port: Number(port || simulator?.port || 8009), logger });
  await session.connect();

  const player = new DefaultMediaPlayer(session);
  player.on('status', (status) => console.log(`  ${status.state.padEnd(9)} ${status.position.toFixed(1).padStart(5)} s  volume ${Math.round(status.volume * 100)}%  ${status.media?.title ?? ''}`));

  const film = [...library.items()].find((item) => item.kind === 'video')!;
  console.log(`casting ${film.path} (subtitles: ${film.subtitles.map((track) => track.lang).join(', ')})`);
  const { elapsedMs } = await player.load(server.castMedia(film), { subtitles: 'en' });
  console.log(`playing after ${elapsedMs.toFixed(0)} ms`);
  await player.pause();
  await player.seek(5);
  await player.play();
  await player.setVolume(0.3);

  // A URL from elsewhere is probed before a device is told to play it.
  const music = [...library.items()].find((item) => item.kind === 'audio')!;
  const probed = await probeMediaUrl(server.mediaUrl(music));
  console.log(`probed ${probed.title}: ${probed.contentType}, ${probed.length} bytes, ranges ${probed.acceptsRanges ? 'yes' : 'no'}`);
  await player.load(probed);
  await player.stop();
} catch (error) {
  // Every failure is a NasCastError with a stable code: ERR_DEVICE_UNAVAILABLE, ERR_LOAD_FAILED…
  console.error(error instanceof NasCastError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  session?.close();
  await simulator?.stop();
  await server.stop();
  await library.close();
}
