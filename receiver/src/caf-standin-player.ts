/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment -- CAF's messages are JSON on the wire; @types declares them as classes, which the stand-in builds as its own classes or plain objects */
// Part of the simulator's stand-in for the Cast Web Receiver SDK: CAF's PlayerManager.
// The platform hands it every message of the media namespace; as in CAF, the app's
// message interceptor for the type runs first and may return the request (changed or
// not), a Promise of it, an ErrorData (sent back instead) or null (dropped), and then
// the default handling runs: GET_STATUS, LOAD, PLAY, PAUSE, SEEK, STOP and stream
// volume, from any sender. Joined with the other parts into one init script: nothing
// from outside this function's body may be used (types excepted).
import type { framework } from 'chromecast-caf-receiver';
import type { CafMessages } from './caf-standin-messages.ts';
import type { MediaSession, MediaSessionEnv } from './caf-standin-session.ts';

type Interceptor = Parameters<framework.PlayerManager['setMessageInterceptor']>[1];

/** The PlayerManager members the stand-in has, each as @types/chromecast-caf-receiver declares it. */
export type StandInPlayerManager = Pick<
  framework.PlayerManager,
  'load' | 'play' | 'pause' | 'seek' | 'stop' | 'setMessageInterceptor' | 'getPlayerState' | 'getCurrentTimeSec' | 'getDurationSec' | 'getMediaInformation' | 'broadcastStatus' | 'sendStatus'
>;

/** The PlayerManager, and the door the platform uses to hand it media-namespace messages. */
export interface StandInPlayer {
  manager: StandInPlayerManager;
  receive(senderId: string, data: unknown): Promise<void>;
}

/** Builds the PlayerManager (run inside the receiver page) over a media session made by `createSession`. */
export function createPlayerManager(
  caf: CafMessages,
  element: () => HTMLVideoElement,
  send: (senderId: string | undefined, data: object) => void,
  createSession: (env: MediaSessionEnv) => MediaSession,
): StandInPlayer {
  const m = caf.messages;
  const interceptors = new Map<string, NonNullable<Interceptor>>();
  const session = createSession({
    caf,
    element,
    send,
    outgoing: (status) => {
      const interceptor = interceptors.get(m.MessageType.MEDIA_STATUS);
      const out = interceptor ? (interceptor(status as unknown as framework.messages.RequestData) as unknown) : status;
      // An outgoing interceptor that answers later is not waited for: its status goes as it was.
      return out instanceof Promise ? status : (out as framework.messages.MediaStatus | null);
    },
  });
  const error = (senderId: string, requestId: number, type: framework.messages.ErrorType, reason?: framework.messages.ErrorReason, extra: object = {}): void => {
    send(senderId, { type, requestId, ...(reason ? { reason } : {}), ...extra });
  };

  /** CAF's own handling of a request that passed the interceptor. */
  const handle = async (senderId: string, request: framework.messages.RequestData & Record<string, unknown>): Promise<void> => {
    const { requestId } = request;
    if (request.type === m.MessageType.GET_STATUS) return session.sendStatus(senderId, requestId);
    if (request.type === m.MessageType.LOAD) {
      const load = request as unknown as framework.messages.LoadRequestData;
      if (typeof load.media?.contentId !== 'string' && typeof load.media?.contentUrl !== 'string') return error(senderId, requestId, m.ErrorType.INVALID_REQUEST, m.ErrorReason.INVALID_PARAMS);
      // A failure has been answered (LOAD_FAILED) by the session already.
      return session.load(load, senderId, requestId).catch(() => {});
    }
    const commands: string[] = [m.MessageType.PLAY, m.MessageType.PAUSE, m.MessageType.SEEK, m.MessageType.STOP, m.MessageType.SET_VOLUME];
    if (!commands.includes(request.type)) return error(senderId, requestId, m.ErrorType.INVALID_REQUEST, m.ErrorReason.INVALID_COMMAND);
    if (session.id === 0 || request.mediaSessionId !== session.id) return error(senderId, requestId, m.ErrorType.INVALID_REQUEST, m.ErrorReason.INVALID_MEDIA_SESSION_ID);
    switch (request.type) {
      case m.MessageType.PLAY:
        return session.play(requestId).catch(() => error(senderId, requestId, m.ErrorType.INVALID_PLAYER_STATE));
      case m.MessageType.PAUSE:
        return session.pause(requestId);
      case m.MessageType.STOP:
        return session.stop(requestId);
      case m.MessageType.SEEK: {
        const seek = request as unknown as framework.messages.SeekRequestData;
        const video = element();
        const target = typeof seek.relativeTime === 'number' ? video.currentTime + seek.relativeTime : seek.currentTime;
        if (typeof target !== 'number' || !Number.isFinite(target)) return error(senderId, requestId, m.ErrorType.INVALID_REQUEST, m.ErrorReason.INVALID_PARAMS);
        await session.seek(target, requestId);
        if (String(seek.resumeState) === 'PLAYBACK_START') await session.play(requestId).catch(() => {});
        if (String(seek.resumeState) === 'PLAYBACK_PAUSE') session.pause(requestId);
        return;
      }
      default: {
        // Stream volume: the element's, which is not the device's (that one is the platform's, on the receiver namespace).
        const { volume } = request as unknown as framework.messages.VolumeRequestData;
        const video = element();
        if (typeof volume?.level === 'number') video.volume = Math.min(1, Math.max(0, volume.level));
        if (typeof volume?.muted === 'boolean') video.muted = volume.muted;
        return session.sendStatus(undefined, requestId);
      }
    }
  };

  const receive = async (senderId: string, data: unknown): Promise<void> => {
    if (typeof data !== 'object' || data === null) return;
    let request = data as framework.messages.RequestData & Record<string, unknown>;
    if (typeof request.requestId !== 'number') request.requestId = 0;
    const interceptor = interceptors.get(request.type);
    if (interceptor) {
      let result: unknown;
      try {
        result = await interceptor(request);
      } catch {
        return error(senderId, request.requestId, m.ErrorType.ERROR, m.ErrorReason.APP_ERROR);
      }
      if (result === null || result === undefined) return;
      if (result instanceof m.ErrorData) {
        const answer = result;
        const customData: unknown = answer.customData;
        return error(senderId, request.requestId, answer.type, answer.reason, { ...(answer.detailedErrorCode ? { detailedErrorCode: answer.detailedErrorCode } : {}), ...(customData ? { customData } : {}) });
      }
      request = result as typeof request;
    }
    await handle(senderId, request);
  };

  const manager: StandInPlayerManager = {
    load: (request) => session.load(request, 'local', 0),
    play: () => void session.play(0).catch(() => {}),
    pause: () => session.pause(0),
    seek: (seconds) => void session.seek(seconds, 0),
    stop: () => session.stop(0),
    setMessageInterceptor: (type: framework.messages.MessageType, interceptor: Interceptor) => {
      if (interceptor) interceptors.set(type, interceptor);
      else interceptors.delete(type);
    },
    getPlayerState: () => session.state,
    getCurrentTimeSec: () => (session.id === 0 ? 0 : element().currentTime),
    getDurationSec: () => (session.id === 0 ? Number.NaN : element().duration),
    getMediaInformation: () => session.media ?? null,
    broadcastStatus: (_includeMedia?: boolean, requestId?: number) => session.sendStatus(undefined, requestId ?? 0),
    sendStatus: (senderId: string, requestId: number) => session.sendStatus(senderId, requestId),
  };
  return { manager, receive };
}
