// Drive a NasCast that runs on another machine (your NAS, Homebridge) with
// ControlClient: the same calls as NasCast.player(), over the control channel.
//
//   node examples/remote-control.ts <server URL> <token> <device> [library path]
//   NASCAST_FINGERPRINT=AB:CD:… node examples/remote-control.ts https://nas.lan:8585 "$(nascast token)" "Living Room TV" Films/Cartoons
//
// The token is the server's (`nascast token` on that machine, or the Homebridge
// plugin's settings page). With HTTPS (the default of `nascast serve` and the plugin),
// $NASCAST_FINGERPRINT is the certificate's fingerprint that `nascast serve` prints (or
// the settings page shows): the client checks it before it sends the token. Nothing else
// is needed on this machine.
import { ControlClient, ControlError } from 'homebridge-nascast';

const [server, token, device, media] = process.argv.slice(2);
if (!server || !token || !device) {
  console.error('usage: node examples/remote-control.ts <server URL> <token> <device> [library path]');
  process.exit(2);
}
const url = new URL('/control', server.replace(/^http/, 'ws')).toString();
const fingerprint = process.env.NASCAST_FINGERPRINT;
const client = new ControlClient({ url, token, ...(fingerprint ? { fingerprint } : {}) });
client.on('reconnecting', ({ delayMs }) => console.log(`(connection lost; again in ${delayMs} ms)`));
try {
  await client.connect();
  console.log(`devices: ${(await client.devices()).map((entry) => `${entry.name}${entry.online ? '' : ' (offline)'}`).join(', ')}`);
  const listing = await client.list();
  console.log(`library: ${(listing?.folders as Array<{ name: string }> | undefined)?.map((folder) => folder.name).join(', ')}`);

  const player = await client.player(device);
  player.on('status', (status) => console.log(`  ${status.state.padEnd(9)} ${status.position.toFixed(0).padStart(4)} s  ${status.media?.title ?? ''}`));
  if (media) {
    const { elapsedMs } = await player.load(media);
    console.log(`playing ${media} after ${elapsedMs} ms`);
  }
  await player.pause();
  await player.seek(3);
  await player.setVolume(0.25);
  await player.play();
  console.log(`now: ${player.status().state} at volume ${Math.round(player.status().volume * 100)}%`);
  await player.close();
} catch (error) {
  // UNKNOWN_DEVICE lists the devices there are; UNAUTHORIZED means the token is wrong.
  console.error(error instanceof ControlError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  client.close();
}
