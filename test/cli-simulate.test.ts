import net from 'node:net';
import test from 'ava';
import { CastSession, DEFAULT_MEDIA_RECEIVER, DefaultMediaPlayer } from '../src/cast/index.ts';
import { runCli } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { startMediaServer } from './helpers/media-server.ts';

test('nascast simulate runs a Chromecast that castv2-client casts to, prints what senders do, and stops on SIGINT', async (t) => {
  // Real media: the simulated device probes what it is asked to play.
  const media = await startMediaServer(t, { 'Films/Trailer.mp4': await film() }, { library: { watch: false } });
  const cli = runCli(t, ['simulate', '--name', 'Test TV', '--port', '0', '--host', '127.0.0.1', '--no-advertise']);
  const [, port] = await cli.line(/^Simulated Chromecast "Test TV" on 127\.0\.0\.1:(\d+) \(not advertised\)/m);

  const session = new CastSession({ host: '127.0.0.1', port: Number(port), requestTimeoutMs: 3000 });
  t.teardown(() => session.close());
  await session.connect();
  const player = new DefaultMediaPlayer(session);
  const item = media.item('Films/Trailer.mp4');
  t.is((await player.load(media.server.castMedia(item))).state, 'PLAYING');
  await player.pause();
  await cli.line(/^launched app CC1AD845$/m);
  await cli.line(/^PLAYING Trailer$/m);
  await cli.line(/^PAUSED Trailer$/m);
  t.is(session.app?.appId, DEFAULT_MEDIA_RECEIVER);
  session.close();

  cli.child.kill('SIGINT');
  t.is(await cli.exited, 0);
  t.is(cli.stderr, '');
});

test('nascast simulate on a port in use says so and exits 1; a bad port or --app is a usage error (2)', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const { port } = blocker.address() as net.AddressInfo;
  const busy = runCli(t, ['simulate', '--port', String(port), '--host', '127.0.0.1', '--no-advertise']);
  t.is(await busy.exited, 1);
  t.regex(busy.stderr, new RegExp(`^nascast: port ${port} is in use; choose another with --port\\n$`));

  const usage = runCli(t, ['simulate', '--port', 'eighty']);
  t.is(await usage.exited, 2);
  t.regex(usage.stderr, /expected a port number/);

  const badApp = runCli(t, ['simulate', '--app', 'NASCAST1']);
  t.is(await badApp.exited, 2);
  t.regex(badApp.stderr, /expected <appId>=<http\(s\) URL of the receiver page>/);
});

test('nascast simulate --model plays as that model; a group takes --member devices and --http-port; a bad model or a member without a group is a usage error', async (t) => {
  const cli = runCli(t, ['simulate', '--name', 'Attic', '--model', 'chromecast-ultra', '--port', '0', '--host', '127.0.0.1', '--no-advertise']);
  await cli.line(/^Simulated Chromecast "Attic" on 127\.0\.0\.1:\d+ \(not advertised\), playing what a Chromecast Ultra plays; Ctrl-C stops it$/m);
  cli.child.kill('SIGINT');
  t.is(await cli.exited, 0);

  const group = runCli(t, ['simulate', '--name', 'Downstairs', '--group', '--member', 'Kitchen', '--member', 'Den', '--port', '0', '--host', '127.0.0.1', '--no-advertise', '--http-port', '0']);
  await group.line(/^Simulated Cast group "Downstairs" on 127\.0\.0\.1:\d+ \(not advertised\), playing what a Cast speaker group plays/m);
  group.child.kill('SIGINT');
  t.is(await group.exited, 0);

  const badModel = runCli(t, ['simulate', '--model', 'chromecast-9th-gen']);
  t.is(await badModel.exited, 2);
  t.regex(badModel.stderr, /expected one of chromecast-1st-2nd-gen, chromecast-3rd-gen, /);
  const lonelyMember = runCli(t, ['simulate', '--member', 'Kitchen', '--port', '0', '--no-advertise']);
  t.is(await lonelyMember.exited, 2);
  t.regex(lonelyMember.stderr, /--member is for a group: add --group/);
});
