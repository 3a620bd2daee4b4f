import test from 'ava';
import { DefaultMediaPlayer } from '../src/cast/index.ts';
import { ControlClient } from '../src/control/client.ts';
import { mountControl } from '../src/players/mount.ts';
import { hello, startHub, statusAt, type Json } from './helpers/control.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, startMediaServer } from './helpers/media-server.ts';
import { connectSession, startSimulator } from './helpers/simulator.ts';

test('the Default Media Receiver reports changes only: its player still says where playback is now, and a relative seek asks the device first', async (t) => {
  // A real film (an hour): the simulator probes it as a device does.
  const media = await startMediaServer(t, { 'Films/Film.mp4': await film() }, { library: { watch: false } });
  const simulator = await startSimulator(t);
  const session = await connectSession(t, simulator);
  const player = new DefaultMediaPlayer(session);
  await player.load({ ...media.server.castMedia(media.item('Films/Film.mp4')), duration: 600 });
  // Nothing more comes from the device while it plays; the position still moves on.
  await eventually(() => player.status().position >= 1.5, 5000, 'the position moves on while playing');
  await player.seekBy(30);
  const landed = Number(simulator.mediaStatus()?.currentTime);
  t.true(landed >= 31.4 && landed < 36, `seek +30 from ${landed - 30} s, not from 0 (landed at ${landed})`);
  await player.pause();
  const paused = player.status().position;
  await player.seekBy(-1000);
  t.is(Number(simulator.mediaStatus()?.currentTime), 0, 'not before the start');
  t.true(paused >= 31);
});

test("a status query to the hub answers where playback is now, not where it was when reported", async (t) => {
  const { url, token } = await startHub(t);
  const receiver = await hello(t, url, { token, role: 'receiver', device: 'tv-1' });
  receiver.send({ type: 'status', ...statusAt(10) });
  const controller = await hello(t, url, { token, role: 'controller' });
  let asked = 0;
  const position = async (): Promise<number> => {
    const id = `q${++asked}`;
    controller.send({ type: 'status', id, device: 'tv-1' });
    const reply = await controller.next((message) => message.id === id);
    return Number((reply.result as Json | undefined)?.position ?? -1);
  };
  await eventually(async () => (await position()) >= 11, 5000, 'the position moves on');
  receiver.send({ type: 'status', ...statusAt(20, 'PAUSED') });
  await eventually(async () => (await position()) === 20, 5000, 'the paused status arrives');
  t.is(await position(), 20, 'paused: it stays');
});

test('a relative seek over the control channel is measured from where the receiver is now', async (t) => {
  const media = await startMediaServer(t, { 'a.mp4': 'x' });
  const control = mountControl(media.server, { secrets: media.secrets });
  t.teardown(() => control.close());
  const url = `ws://127.0.0.1:${media.server.port}/control`;
  const screen = await hello(t, url, { token: control.receiverTokens.issue('*'), role: 'receiver', name: 'Screen' });
  const seeks: number[] = [];
  screen.ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
    if (message.type === 'seek') seeks.push(Number(message.position));
    if (typeof message.id === 'string' && message.type !== 'ok') screen.send({ type: 'ok', id: message.id });
  });
  screen.send({ type: 'status', state: 'PLAYING', position: 100, duration: 3600, volume: 1, muted: false, media: { url: 'http://nas/media/x', title: 'Film' } });
  const client = new ControlClient({ url, token: media.secrets.token });
  t.teardown(() => client.close());
  await client.connect();
  const player = await client.player('Screen');
  await eventually(() => player.status().position >= 101, 5000, 'the client sees the position move on');
  await player.seekBy(-10);
  t.is(seeks.length, 1);
  t.true(seeks[0]! >= 91 && seeks[0]! < 95, `from where it is now, minus 10 (${seeks[0]})`);
  await t.throwsAsync(client.request('seek', { device: 'Screen' }), { message: 'seek takes position or by, one of them' });
});
