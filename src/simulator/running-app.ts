import { NS } from '../cast/namespaces.ts';
import type { DeviceModel } from '../media/device-models.ts';
import { MediaPlayback, type CastMediaInfo, type LoadOutcome } from './media-playback.ts';
import type { ReceiverPage } from './receiver-browser.ts';

type Json = Record<string, unknown>;

/** A custom-namespace message from a sender to the running app. */
export interface AppMessage {
  readonly appId: string;
  readonly namespace: string;
  readonly senderId: string;
  readonly data: unknown;
  /** Answers the sender on the same namespace. */
  reply(data: unknown): void;
}

/** What a running app needs from the device that runs it. */
export interface RunningAppHost {
  appId: string;
  sessionId: string;
  transportId: string;
  /** The Default Media Receiver: it speaks the media namespace. */
  defaultMediaReceiver: boolean;
  /** What the device decodes. */
  model: DeviceModel;
  /** ffprobe for the Default Media Receiver's probes. Default `ffprobe`. */
  ffprobePath?: string;
  /** The device volume (RECEIVER_STATUS's): the media namespace has a stream volume of its own. */
  volume(): { level: number; muted: boolean };
  send(clientId: string, sourceId: string, destinationId: string, namespace: string, payload: Json): void;
  broadcast(sourceId: string, namespace: string, payload: Json): void;
  /** A pending "fail the next LOAD" fault (a DetailedErrorCode name or number), consumed. */
  takeLoadFailure(): string | number | undefined;
  appMessage(message: AppMessage): void;
}

/**
 * An app running on the simulated device: the Default Media Receiver, a receiver page
 * open in Chromium, or any other app id whose custom messages go to a hook.
 */
export class RunningApp {
  readonly appId: string;
  readonly sessionId: string;
  readonly transportId: string;
  readonly playback: MediaPlayback | undefined;
  readonly #host: RunningAppHost;
  /** Senders that have spoken to the app: sender id → the client (socket) it came on. */
  readonly #senders = new Map<string, string>();
  #page: ReceiverPage | undefined;

  constructor(host: RunningAppHost) {
    this.#host = host;
    this.appId = host.appId;
    this.sessionId = host.sessionId;
    this.transportId = host.transportId;
    this.playback = host.defaultMediaReceiver
      ? new MediaPlayback({
          model: host.model,
          ...(host.ffprobePath ? { ffprobePath: host.ffprobePath } : {}),
          changed: () => this.#broadcastMedia(0),
          error: (payload) => this.#host.broadcast(this.transportId, NS.media, payload),
          takeLoadFailure: () => host.takeLoadFailure(),
        })
      : undefined;
  }

  get statusText(): string {
    const media = this.playback?.status()[0]?.media;
    const title = media?.metadata?.title;
    if (typeof title === 'string') return `Now Casting: ${title}`;
    return this.playback ? 'Ready To Cast' : 'NasCast';
  }

  /** The receiver page, once it has started CAF. */
  get page(): ReceiverPage | undefined {
    return this.#page;
  }

  attachPage(page: ReceiverPage): void {
    this.#page = page;
  }

  /** A message from the app to one sender (or, with no sender id, to every sender joined to it). */
  sendToSender(namespace: string, senderId: string | undefined, data: unknown): void {
    const clientId = senderId === undefined ? undefined : this.#senders.get(senderId);
    if (clientId === undefined || senderId === undefined) return this.#host.broadcast(this.transportId, namespace, data as Json);
    this.#host.send(clientId, this.transportId, senderId, namespace, data as Json);
  }

  /** The app's entry in RECEIVER_STATUS's `applications`. */
  statusEntry(): Json {
    const namespaces = this.playback ? [NS.media] : this.#page ? this.#page.namespaces : [NS.control];
    return {
      appId: this.appId,
      displayName: this.playback ? 'Default Media Receiver' : 'NasCast',
      sessionId: this.sessionId,
      transportId: this.transportId,
      statusText: this.statusText,
      namespaces: namespaces.map((name) => ({ name })),
      isIdleScreen: false,
      launchedFromCloud: false,
    };
  }

  onMessage(clientId: string, sourceId: string, destinationId: string, namespace: string, message: Json): void {
    if (destinationId !== this.transportId) return;
    if (namespace === NS.media) {
      if (this.playback) void this.#onMedia(this.playback, clientId, sourceId, message);
      else if (this.#page) this.#toPage(this.#page, clientId, sourceId, namespace, message);
      return;
    }
    if (!namespace.startsWith('urn:x-cast:')) return;
    // A page's app gets only the namespaces it declared: the platform routes nothing else to CAF.
    if (this.#page && !this.#page.namespaces.includes(namespace)) return;
    this.#senders.set(sourceId, clientId);
    this.#host.appMessage({
      appId: this.appId,
      namespace,
      senderId: sourceId,
      data: message,
      reply: (data) => this.#host.send(clientId, this.transportId, sourceId, namespace, data as Json),
    });
  }

  /** The device volume changed: the media namespace does not say so (its volume is the stream's). */
  volumeChanged(): void {
    // CAF tells a page of the device's volume by an event; the page cannot set it.
    this.#page?.systemVolumeChanged(this.#host.volume()).catch(() => {}); // a page closing with its app
  }

  /** A media-namespace message for a page's app: CAF's PlayerManager in the page answers it. */
  #toPage(page: ReceiverPage, clientId: string, sourceId: string, namespace: string, message: Json): void {
    this.#senders.set(sourceId, clientId);
    page.deliver(namespace, sourceId, message).catch(() => {}); // a page closing with its app
  }

  close(): void {
    this.playback?.close();
    // The page's WebSocket closes with it, as when a Chromecast stops an app.
    void this.#page?.close().catch(() => {});
    this.#page = undefined;
  }

  async #onMedia(playback: MediaPlayback, clientId: string, sourceId: string, message: Json): Promise<void> {
    const requestId = typeof message.requestId === 'number' ? message.requestId : 0;
    const reply = (payload: Json): void => this.#host.send(clientId, this.transportId, sourceId, NS.media, { ...payload, requestId });
    const invalid = (reason: string): void => reply({ type: 'INVALID_REQUEST', reason });
    // As a device: success is the status with the request's id; a failure is the error
    // (SDK fields only), then the IDLE/ERROR status to everyone (request id 0).
    const settle = (outcome: LoadOutcome): void => {
      if (outcome.ok) return this.#broadcastMedia(requestId);
      if (outcome.type === 'INVALID_REQUEST') return invalid(outcome.reason);
      reply({ type: outcome.type, detailedErrorCode: outcome.detailedErrorCode, itemId: outcome.itemId });
      if (outcome.type === 'LOAD_FAILED') this.#broadcastMedia(0);
    };
    switch (message.type) {
      case 'GET_STATUS':
        return reply({ type: 'MEDIA_STATUS', status: playback.status() });
      case 'LOAD': {
        const media = asMedia(message.media);
        if (!media) return invalid('INVALID_PARAMS');
        const startTime = typeof message.currentTime === 'number' ? message.currentTime : 0;
        return settle(await playback.load([{ media, startTime }], 0, message.autoplay !== false, trackIds(message.activeTrackIds)));
      }
      case 'QUEUE_LOAD': {
        const items = Array.isArray(message.items) ? (message.items as Json[]).map((item) => ({ media: asMedia(item.media), startTime: Number(item.startTime ?? 0) })) : [];
        if (items.length === 0 || items.some((item) => !item.media)) return invalid('INVALID_PARAMS');
        const startIndex = typeof message.startIndex === 'number' ? message.startIndex : 0;
        return settle(await playback.load(items as Array<{ media: CastMediaInfo; startTime: number }>, startIndex, true));
      }
    }
    // Everything else acts on the current media session.
    if (!playback.mediaSessionId || message.mediaSessionId !== playback.mediaSessionId) return invalid('INVALID_MEDIA_SESSION_ID');
    switch (message.type) {
      case 'PLAY':
        playback.play();
        return this.#broadcastMedia(requestId);
      case 'PAUSE':
        playback.pause();
        return this.#broadcastMedia(requestId);
      case 'SEEK': {
        // relativeTime, when there, wins over currentTime (SeekRequestData).
        const relative = typeof message.relativeTime === 'number' && Number.isFinite(message.relativeTime) ? message.relativeTime : undefined;
        const target = relative !== undefined ? playback.position() + relative : message.currentTime;
        if (typeof target !== 'number' || !Number.isFinite(target)) return invalid('INVALID_PARAMS');
        const resume = message.resumeState === 'PLAYBACK_START' || message.resumeState === 'PLAYBACK_PAUSE' ? message.resumeState : undefined;
        playback.seek(target, resume);
        return this.#broadcastMedia(requestId);
      }
      case 'SET_VOLUME':
        // The stream volume (STREAM_VOLUME, STREAM_MUTE): the device volume is on the receiver namespace.
        if (!playback.setVolume(message.volume ?? {})) return invalid('INVALID_PARAMS');
        return this.#broadcastMedia(requestId);
      case 'SET_PLAYBACK_RATE':
        if (!playback.setRate(Number(message.playbackRate))) return invalid('INVALID_PARAMS');
        return this.#broadcastMedia(requestId);
      case 'STOP':
        playback.stop();
        return this.#broadcastMedia(requestId);
      case 'EDIT_TRACKS_INFO':
        if (!playback.setActiveTracks(trackIds(message.activeTrackIds))) return invalid('INVALID_PARAMS');
        return this.#broadcastMedia(requestId);
      case 'QUEUE_UPDATE':
        if (typeof message.jump !== 'number') return this.#broadcastMedia(requestId);
        return settle(await playback.jump(message.jump));
      case 'QUEUE_NEXT':
      case 'QUEUE_PREV':
        return settle(await playback.jump(message.type === 'QUEUE_NEXT' ? 1 : -1));
      default:
        return invalid('INVALID_COMMAND');
    }
  }

  /** MEDIA_STATUS goes to `*` and carries the request id: castv2-client records the media session only from broadcasts. */
  #broadcastMedia(requestId: number): void {
    this.#host.broadcast(this.transportId, NS.media, { type: 'MEDIA_STATUS', requestId, status: this.playback?.status() ?? [] });
  }
}

function asMedia(value: unknown): CastMediaInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const media = value as Json;
  return typeof media.contentId === 'string' && media.contentId !== '' ? (media as CastMediaInfo) : undefined;
}

/** `activeTrackIds` as numbers; anything else counts as none. */
function trackIds(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : [];
}
