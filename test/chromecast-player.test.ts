import test from 'ava';
import { CastSession } from '../src/cast/index.ts';
import { ChromecastPlayer } from '../src/players/chromecast-player.ts';
import { startSimulator } from './helpers/simulator.ts';

test("connect() learns the device's volume before anything plays (the Home app shows it, not 100)", async (t) => {
  const simulator = await startSimulator(t);
  // The device reports its volume only when it changes: a player that never asked would say 1.
  t.is(simulator.volume.level, 0.5);
  const session = new CastSession({ host: simulator.host, port: simulator.port, requestTimeoutMs: 2000 });
  const player = new ChromecastPlayer({ id: 'tv', name: 'TV', session });
  t.teardown(() => player.dispose());
  await player.connect();
  t.is(player.status().volume, 0.5);
  t.is(player.status().state, 'IDLE');
});
