// Run a simulated Chromecast and drive it the way a sender does: for people who build
// senders or receivers of their own and want a device in their tests.
//
//   npm run build && node examples/run-a-simulator.ts [--advertise]
//
// It speaks the real castv2 protocol over TLS; with --advertise, phones, castnow and
// catt on your network find it too. Here a CastSession from this package drives it.
import { CastSession, DefaultMediaPlayer } from 'homebridge-nascast';
import { ChromecastSimulator } from 'homebridge-nascast/simulator';

const simulator = new ChromecastSimulator({ name: 'Test Bench TV', advertise: process.argv.includes('--advertise') });
simulator.on('media-status', (status) => console.log(`device: ${typeof status?.playerState === 'string' ? status.playerState : 'IDLE'}`));
await simulator.start();
console.log(`simulator "${simulator.name}" on ${simulator.host}:${simulator.port}`);

const session = new CastSession({ host: simulator.host, port: simulator.port });
try {
  await session.connect();
  const player = new DefaultMediaPlayer(session);
  // It fetches and probes what it is asked to play as a device does (ffprobe on PATH):
  // here a URL with nothing behind it, which fails with the SDK's code 104.
  const missing = { url: 'http://127.0.0.1:9/missing.mp4', contentType: 'video/mp4', title: 'Missing' };
  await player.load(missing).catch((error: unknown) => console.log(`load failed as a device fails it: ${(error as Error).message}`));
  // A fault on demand: the next load fails with the detailed error code you name.
  simulator.failNextLoad('MEDIA_DECODE');
  await player.load(missing).catch((error: unknown) => console.log(`load failed on purpose: ${(error as Error).message}`));
  console.log(`running app: ${simulator.runningApp}, volume ${simulator.volume.level}`);
  await player.setVolume(0.8);
  console.log(`volume now ${simulator.volume.level}`);
  // Faults to test a sender against: a dropped connection, and a device that hangs.
  simulator.disconnect();
  await new Promise<void>((resolve) => session.once('reconnected', () => resolve()));
  console.log('the session reconnected by itself');
} finally {
  session.close();
  await simulator.stop();
}
