// The receiver on a Chromecast: CAF started with our control namespace declared, the
// sender's hand-over of the control channel on it, the device's volume followed, and
// the media commands of other senders (a phone, the Google Home app, pychromecast)
// followed through CAF's message interceptors, so that NasCast's state, and every
// controller following it, sees what they do.
import type { framework } from 'chromecast-caf-receiver';
import { PROTOCOL_VERSION } from '../../src/protocol/index.ts';
import { cafDriver, type CafDriver } from './drivers.ts';
import type { LoadCommand, Playback, Volume } from './playback.ts';

/** Our namespace: the sender hands the page its control channel here. */
export const NAMESPACE = 'urn:x-cast:io.nascast.control';

/** What the sender's `connect` message carries. */
export interface Handover {
  url: string;
  token: string;
  device?: string;
}

/** What the page does with the driver and with a hand-over. */
export interface CastHooks {
  start(driver: CafDriver): Playback;
  connect(handover: Handover): void;
}

/** Starts CAF and the page's playback through it. */
export function startOnCast(caf: typeof cast.framework, hooks: CastHooks): void {
  const context = caf.CastReceiverContext.getInstance();
  const driver = cafDriver(caf, context);
  const playback = hooks.start(driver);
  context.addCustomMessageListener(NAMESPACE, (event) => {
    const data = (typeof event.data === 'string' ? safeJson(event.data) : event.data) as (Partial<Handover> & { type?: string; volume?: Partial<Volume> }) | undefined;
    if (data?.type !== 'connect' || typeof data.url !== 'string' || typeof data.token !== 'string') return;
    // The device's volume as the sender knew it: CAF tells the page only of changes.
    if (typeof data.volume?.level === 'number' && typeof data.volume.muted === 'boolean') driver.setSystemVolume({ level: data.volume.level, muted: data.volume.muted });
    hooks.connect({ url: data.url, token: data.token, ...(typeof data.device === 'string' ? { device: data.device } : {}) });
    context.sendCustomMessage(NAMESPACE, event.senderId, { v: PROTOCOL_VERSION, type: 'connecting' });
  });
  context.addEventListener(caf.system.EventType.SYSTEM_VOLUME_CHANGED, (event) => {
    // A SystemVolumeChangedEvent's `data` is its SystemVolumeData; @types marks it deprecated only through the base Event.
    const volume = Reflect.get(event, 'data') as Partial<Volume> | undefined;
    if (typeof volume?.level !== 'number' || typeof volume.muted !== 'boolean') return;
    driver.setSystemVolume({ level: volume.level, muted: volume.muted });
    playback.refresh();
  });
  followOtherSenders(caf, context.getPlayerManager(), playback);
  // Media apps keep CAF's idle timeout (Google: disableIdleTimeout is for other apps).
  // A NasCast that lost its Cast connection reconnects with backoff; 30 s lets it back before CAF drops it.
  const options = new caf.CastReceiverOptions();
  options.customNamespaces = { [NAMESPACE]: caf.system.MessageType.JSON };
  options.maxInactivity = 30;
  context.start(options);
}

/**
 * CAF carries out every sender's LOAD, PLAY, PAUSE, SEEK and STOP; the interceptors
 * run first and let each through unchanged. A LOAD or a STOP changes what plays, which
 * the element's events cannot say, so the page's playback is told; PLAY, PAUSE and
 * SEEK show in the element's events, which report them as they report our own.
 */
function followOtherSenders(caf: typeof cast.framework, player: framework.PlayerManager, playback: Playback): void {
  const { MessageType } = caf.messages;
  player.setMessageInterceptor(MessageType.LOAD, (request) => {
    playback.loadedElsewhere(loadCommand(request));
    return request;
  });
  player.setMessageInterceptor(MessageType.STOP, (request) => {
    playback.stopped();
    return request;
  });
  for (const type of [MessageType.PLAY, MessageType.PAUSE, MessageType.SEEK]) player.setMessageInterceptor(type, (request) => request);
}

/** A LOAD as our own load command: its URL, type and title are what NasCast reports; its first image is the page's artwork. */
function loadCommand(request: framework.messages.LoadRequestData): LoadCommand {
  const media = request.media;
  // Every metadata class has `title` and `images` (Image {url}); @types allows any `object`, and a sender may send anything.
  const metadata = media.metadata as { title?: unknown; images?: unknown } | undefined;
  const url = media.contentUrl ?? media.contentId;
  const kind = media.contentType.startsWith('audio/') ? 'audio' : 'video';
  const image = firstImage(metadata?.images);
  return { type: 'load', url, contentType: media.contentType, kind, ...(typeof metadata?.title === 'string' ? { title: metadata.title } : {}), ...(image ? { image } : {}) };
}

/** The URL of the first of a metadata's `images`, if it is one. */
function firstImage(images: unknown): string | undefined {
  const first: unknown = Array.isArray(images) ? images[0] : undefined;
  const url: unknown = typeof first === 'object' && first !== null ? (first as Partial<framework.messages.Image>).url : undefined;
  return typeof url === 'string' && url.length > 0 && url.length <= 8192 ? url : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
