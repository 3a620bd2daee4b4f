import type { ExecutionContext } from 'ava';
import { ControlClient } from '../../src/control/client.ts';
import { mountControl } from '../../src/players/mount.ts';
import { hello, type Json, type TestSocket } from './control.ts';
import { RecordingLogger } from './homebridge.ts';
import { startMediaServer, type FileTree, type TestServer } from './media-server.ts';

export interface ScreenSetup {
  media: TestServer;
  /** The browser target `Screen`, as its receiver page would be. */
  screen: TestSocket;
  client: ControlClient;
  /** Every load the screen was told to play. */
  loads: Json[];
  logger: RecordingLogger;
}

/** A browser target on a real hub that answers every command ok, and reports what it is told to. */
export async function screenSetup(t: ExecutionContext, files: FileTree): Promise<ScreenSetup> {
  const media = await startMediaServer(t, files, { library: { watch: false } });
  const logger = new RecordingLogger();
  const control = mountControl(media.server, { secrets: media.secrets, logger });
  t.teardown(() => control.close());
  const url = `ws://127.0.0.1:${media.server.port}/control`;
  const screen = await hello(t, url, { token: control.receiverTokens.issue('*'), role: 'receiver', name: 'Screen' });
  const loads: Json[] = [];
  screen.ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
    if (message.type === 'welcome' || message.type === 'ok') return;
    if (message.type === 'load') loads.push(message);
    screen.send({ type: 'ok', id: message.id });
  });
  const client = new ControlClient({ url, token: media.secrets.token });
  t.teardown(() => client.close());
  await client.connect();
  return { media, screen, client, loads, logger };
}
