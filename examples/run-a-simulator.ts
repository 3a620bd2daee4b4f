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
  // Any URL the simulator can fetch: it checks it as a device would (here, one that is not there).
  simulator.failNextLoad('HTTP_404');
  await player.load({ url: 'http://127.0.0.1:9/missing.mp4', contentType: 'video/mp4', title: 'Missing' }).catch((error: unknown) => console.log(`load failed as a device fails it: ${(error as Error).message}`));
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
