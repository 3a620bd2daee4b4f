// The NasCast receiver: on a Chromecast it starts CAF and waits for the sender's
// `connect` message on our namespace; in any other browser it reads the control URL
// and token from the query string. Either way it then joins the hub as a receiver.
import { ControlChannel, receiverCommands, type ControlStatus, type ReceiverCommand } from '../../src/protocol/index.ts';
import { startOnCast } from './caf-app.ts';
import { elementDriver } from './drivers.ts';
import { Playback, type Driver } from './playback.ts';
import { Screens } from './screens.ts';
import { liftSubtitlesOverOverlay } from './subtitle-lift.ts';
import { browserCanPlay, castCanPlay, supportedTypes } from './supports.ts';
import { errorMessage } from '../../src/errors.ts';

const CAF_SDK = 'https://www.gstatic.com/cast/sdk/libs/caf_receiver/v3/cast_receiver_framework.js';

interface Connection {
  url: string;
  token: string;
  device?: string;
  name?: string;
}

const screens = new Screens();
const video = document.querySelector<HTMLVideoElement>('video.castMediaElement')!;
liftSubtitlesOverOverlay(video, document.getElementById('now-playing')!);
const image = document.querySelector<HTMLImageElement>('#picture')!;
let channel: ControlChannel | undefined;
let playback: Playback | undefined;
// What this screen plays, said in every hello: the browser's answer, or CAF's on a Chromecast.
let canPlay = browserCanPlay(video);

function report(status: ControlStatus): void {
  screens.render(status, playback?.media);
  channel?.send({ type: 'status', ...status });
}

async function run(command: ReceiverCommand, player: Playback): Promise<void> {
  switch (command.type) {
    case 'load':
      return player.load(command);
    case 'play':
      return player.play();
    case 'pause':
      return player.pause();
    case 'seek':
      return player.seek(command.position);
    case 'stop':
      return player.stop();
    case 'volume':
      return player.volume(command.level, command.muted);
    case 'overlay':
      return screens.showOverlay();
  }
}

/** Checks a command against the shared protocol, carries it out and answers it. */
async function onCommand(message: Record<string, unknown>): Promise<void> {
  const id = typeof message.id === 'string' ? message.id : undefined;
  const reply = (fields: Record<string, unknown>): void => void channel?.send({ ...fields, ...(id ? { id } : {}) });
  const type = String(message.type);
  const schema = Object.hasOwn(receiverCommands, type) ? receiverCommands[type as keyof typeof receiverCommands] : undefined;
  if (!schema) return reply({ type: 'error', code: 'BAD_REQUEST', message: `the receiver does not know ${type}` });
  const checked = schema.check(message, '');
  if (!checked.ok) return reply({ type: 'error', code: 'BAD_REQUEST', message: `${type}: ${checked.path} ${checked.reason}` });
  try {
    await run({ ...(checked.value as object), type } as ReceiverCommand, playback!);
    reply({ type: 'ok', result: { state: playback!.status().state } });
  } catch (error) {
    reply({ type: 'error', code: type === 'load' ? 'LOAD_FAILED' : 'BAD_REQUEST', message: errorMessage(error) });
  }
}

/** What this screen plays, for the hello; nothing when it cannot be asked. */
function supportsOf(): { supports?: string[] } {
  const supports = supportedTypes(canPlay);
  return supports ? { supports } : {};
}

function connect(connection: Connection): void {
  channel?.close();
  channel = new ControlChannel({
    url: connection.url,
    hello: { token: connection.token, role: 'receiver', ...(connection.device ? { device: connection.device } : {}), ...(connection.name ? { name: connection.name } : {}), ...supportsOf() },
    createSocket: (url) => new WebSocket(url),
    onOpen: (welcome) => {
      screens.setNames(typeof welcome.name === 'string' ? welcome.name : undefined, connection.name);
      // The hub learns where we are at once, also after a reconnect in mid-film.
      if (playback) channel?.send({ type: 'status', ...playback.status() });
    },
    onMessage: (message) => void onCommand(message),
    onState: (state, detail) => screens.setLink(state, detail?.reason),
  });
  channel.start();
}

function start(driver: Driver): Playback {
  playback = new Playback(video, image, driver, report);
  screens.render(playback.status());
  return playback;
}

async function loadScript(src: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

async function main(): Promise<void> {
  // `cast` exists once the SDK script ran (or the simulator injected its stand-in).
  const framework = (): typeof cast.framework | undefined => (typeof cast === 'undefined' ? undefined : cast.framework);
  // Only a Cast device fetches the SDK; elsewhere the page runs with no outside request.
  if (!framework() && /CrKey/.test(navigator.userAgent)) await loadScript(CAF_SDK);
  const caf = framework();
  if (caf) {
    canPlay = castCanPlay(caf.CastReceiverContext.getInstance());
    return startOnCast(caf, { start, connect });
  }
  start(elementDriver);
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const name = params.get('name') ?? undefined;
  const device = params.get('device') ?? undefined;
  if (!token) {
    screens.showFatal('This page needs a token', 'Open the receiver link that NasCast prints, or add ?token=… and ?name=… to the address.');
    return;
  }
  if (!name && !device) {
    screens.showFatal('This screen has no name', 'Add ?name=Kitchen%20Tablet to the address, so that NasCast can list it as a device.');
    return;
  }
  const url = params.get('control') ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/control`;
  connect({ url, token, ...(name ? { name } : {}), ...(device ? { device } : {}) });
  // Autoplay may wait for a first touch; any touch starts a paused film again.
  document.addEventListener('click', () => {
    if (playback?.status().state === 'PAUSED' && playback.status().error) void playback.play();
  });
}

main().catch((error: unknown) => screens.showFatal('The receiver could not start', errorMessage(error)));
