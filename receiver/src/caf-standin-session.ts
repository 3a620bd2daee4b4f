/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment -- CAF's messages are JSON on the wire; @types declares them as classes, which the stand-in builds as its own classes or plain objects */
// Part of the simulator's stand-in for the Cast Web Receiver SDK: CAF's media session
// over the page's `video.castMediaElement`. It turns the element's events into CAF's
// player states and broadcasts MEDIA_STATUS as CAF does (requestId 0 for spontaneous
// changes), reports a failed load as LOAD_FAILED with the detailed error code of the
// element's MediaError, and ends a session IDLE with FINISHED, CANCELLED, INTERRUPTED
// or ERROR. Joined with the other parts into one init script: nothing from outside
// this function's body may be used (types excepted).
import type { framework } from 'chromecast-caf-receiver';
import type { CafMessages } from './caf-standin-messages.ts';

/** How the session reaches the page and the senders. */
export interface MediaSessionEnv {
  caf: CafMessages;
  element(): HTMLVideoElement;
  /** A message on the media namespace: to one sender, or to all (undefined). */
  send(senderId: string | undefined, data: object): void;
  /** The app's MEDIA_STATUS interceptor, if any: may change or drop (null) an outgoing status. */
  outgoing(status: framework.messages.MediaStatus): framework.messages.MediaStatus | null;
}

/** One media session at a time, as CAF's framework.PlayerManager keeps it. */
export interface MediaSession {
  /** The current mediaSessionId; 0 when nothing is loaded. */
  readonly id: number;
  readonly state: framework.messages.PlayerState;
  readonly media: framework.messages.MediaInformation | undefined;
  /** Loads for a sender (`local` for the page itself); resolves once it plays, rejects if it fails or is replaced. */
  load(request: framework.messages.LoadRequestData, senderId: string, requestId: number): Promise<void>;
  play(requestId: number): Promise<void>;
  pause(requestId: number): void;
  seek(position: number, requestId: number): Promise<void>;
  stop(requestId: number): void;
  /** MEDIA_STATUS to one sender, or to all with `senderId` undefined. */
  sendStatus(senderId: string | undefined, requestId: number): void;
}

/** Builds the session (run inside the receiver page). */
export function createMediaSession(env: MediaSessionEnv): MediaSession {
  const { messages: m, events: e } = env.caf;
  const ERROR_CODES: Record<number, number> = { 1: e.DetailedErrorCode.MEDIA_ABORTED, 2: e.DetailedErrorCode.MEDIA_NETWORK, 3: e.DetailedErrorCode.MEDIA_DECODE, 4: e.DetailedErrorCode.MEDIA_SRC_NOT_SUPPORTED };
  let id = 0;
  let sessions = 0;
  let state = m.PlayerState.IDLE;
  let idleReason: framework.messages.IdleReason | undefined;
  let loading = false;
  let media: framework.messages.MediaInformation | undefined;
  let activeTrackIds: number[] = [];
  type Pending = { senderId: string; requestId: number; settle(error?: Error): void };
  let pending: Pending | undefined;
  let bound: HTMLVideoElement | undefined;

  const entry = (): framework.messages.MediaStatus[] => {
    if (id === 0) return [];
    const video = env.element();
    const duration = Number.isFinite(video.duration) ? video.duration : undefined;
    const status: framework.messages.MediaStatus = {
      type: m.MessageType.MEDIA_STATUS,
      mediaSessionId: id,
      playbackRate: 1,
      playerState: state,
      currentTime: state === m.PlayerState.IDLE ? 0 : video.currentTime,
      supportedMediaCommands: m.Command.ALL_BASIC_MEDIA,
      volume: { level: video.volume, muted: video.muted },
      currentItemId: sessions,
      repeatMode: m.RepeatMode.REPEAT_OFF,
      ...(activeTrackIds.length > 0 ? { activeTrackIds } : {}),
      ...(media && state !== m.PlayerState.IDLE ? { media: Object.assign({}, media, duration !== undefined ? { duration } : {}) } : {}),
      ...(idleReason && state === m.PlayerState.IDLE ? { idleReason } : {}),
    };
    // Loading shows as IDLE with an extended LOADING state, as the Default Media Receiver sends it.
    if (loading && media) status.extendedStatus = { playerState: m.ExtendedPlayerState.LOADING, media, mediaSessionId: id };
    const out = env.outgoing(status);
    if (out === null) return [];
    // The wire form has no `type` inside the entries.
    return [Object.fromEntries(Object.entries(out).filter(([key]) => key !== 'type')) as unknown as framework.messages.MediaStatus];
  };
  const sendStatus = (senderId: string | undefined, requestId: number): void => {
    env.send(senderId, { type: m.MessageType.MEDIA_STATUS, requestId, status: entry() });
  };
  const set = (next: framework.messages.PlayerState, requestId = 0): void => {
    if (next === state && !loading) return;
    state = next;
    if (next !== m.PlayerState.IDLE) loading = false;
    sendStatus(undefined, requestId);
  };
  /** The session ends IDLE with a reason; the next status has no session. */
  const end = (reason: framework.messages.IdleReason, requestId = 0): void => {
    if (id === 0) return;
    state = m.PlayerState.IDLE;
    loading = false;
    idleReason = reason;
    sendStatus(undefined, requestId);
    id = 0;
    media = undefined;
    activeTrackIds = [];
  };
  const fail = (code: number): void => {
    const load = pending;
    pending = undefined;
    if (load) {
      if (load.senderId !== 'local') env.send(load.senderId, { type: m.ErrorType.LOAD_FAILED, requestId: load.requestId, detailedErrorCode: code, itemId: sessions });
      load.settle(new Error(`LOAD_FAILED (detailed error code ${code})`));
    } else {
      env.send(undefined, { type: m.ErrorType.ERROR, detailedErrorCode: code, itemId: sessions });
    }
    end(m.IdleReason.ERROR);
  };
  const bind = (): HTMLVideoElement => {
    const video = env.element();
    if (bound === video) return video;
    bound = video;
    video.addEventListener('playing', () => {
      if (id === 0) return;
      const load = pending;
      pending = undefined;
      set(m.PlayerState.PLAYING, load?.requestId ?? 0);
      load?.settle();
    });
    video.addEventListener('waiting', () => id && state === m.PlayerState.PLAYING && set(m.PlayerState.BUFFERING));
    video.addEventListener('pause', () => id && !video.ended && !pending && set(m.PlayerState.PAUSED));
    video.addEventListener('ended', () => end(m.IdleReason.FINISHED));
    video.addEventListener('error', () => id && fail(ERROR_CODES[video.error?.code ?? 0] ?? e.DetailedErrorCode.MEDIA_UNKNOWN));
    for (const type of ['durationchange', 'volumechange', 'seeked']) video.addEventListener(type, () => id && !loading && sendStatus(undefined, 0));
    return video;
  };
  const clearElement = (video: HTMLVideoElement): void => {
    video.pause();
    video.removeAttribute('src');
    for (const old of video.querySelectorAll('track')) old.remove();
    video.load();
  };
  const wait = (video: HTMLVideoElement, type: string): Promise<void> => new Promise((resolve) => video.addEventListener(type, () => resolve(), { once: true }));

  return {
    get id() {
      return id;
    },
    get state() {
      return state;
    },
    get media() {
      return media;
    },
    sendStatus,
    async load(request, senderId, requestId) {
      const video = bind();
      if (pending) {
        if (pending.senderId !== 'local') env.send(pending.senderId, { type: m.ErrorType.LOAD_CANCELLED, requestId: pending.requestId });
        pending.settle(new Error('LOAD_CANCELLED: replaced by a newer load'));
        pending = undefined;
      }
      if (id !== 0) end(m.IdleReason.INTERRUPTED);
      let mine!: Pending;
      const settled = new Promise<void>((resolve, reject) => (mine = { senderId, requestId, settle: (error) => (error ? reject(error) : resolve()) }));
      pending = mine;
      sessions += 1;
      id = sessions;
      media = request.media;
      activeTrackIds = request.activeTrackIds ?? [];
      idleReason = undefined;
      state = m.PlayerState.IDLE;
      loading = true;
      sendStatus(undefined, 0);
      for (const old of video.querySelectorAll('track')) old.remove();
      const tracks = request.media.tracks ?? [];
      if (tracks.length > 0) video.crossOrigin = 'anonymous';
      else video.removeAttribute('crossorigin');
      for (const source of tracks) {
        if (!source.trackContentId) continue;
        const track = document.createElement('track');
        track.kind = 'subtitles';
        track.srclang = source.language ?? '';
        track.label = source.name ?? source.language ?? '';
        track.src = source.trackContentId;
        track.default = activeTrackIds.includes(source.trackId);
        video.append(track);
      }
      video.src = request.media.contentUrl ?? request.media.contentId;
      const startAt = request.currentTime;
      video.addEventListener(
        'loadedmetadata',
        () => {
          if (startAt) video.currentTime = startAt;
          // CAF shows the active text tracks and no others (Chromium would pick one by its own language).
          const languages = tracks.filter((track) => activeTrackIds.includes(track.trackId)).map((track) => track.language);
          for (const track of Array.from(video.textTracks)) track.mode = languages.includes(track.language) ? 'showing' : 'disabled';
        },
        { once: true },
      );
      if (request.autoplay === false) {
        void wait(video, 'loadedmetadata').then(() => {
          if (pending !== mine) return;
          pending = undefined;
          set(m.PlayerState.PAUSED, requestId);
          mine.settle();
        });
      } else {
        // A refused or failed play() shows as the element's error event, or (autoplay refused) as the rejection itself.
        video.play().catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'NotAllowedError' && pending === mine) {
            pending = undefined;
            set(m.PlayerState.PAUSED, requestId);
            mine.settle(error);
          }
        });
      }
      return settled;
    },
    async play(requestId) {
      await bind().play();
      set(m.PlayerState.PLAYING, requestId);
      sendStatus(undefined, requestId);
    },
    pause(requestId) {
      bind().pause();
      state = m.PlayerState.PAUSED;
      sendStatus(undefined, requestId);
    },
    async seek(position, requestId) {
      const video = bind();
      // Before the metadata the element only keeps the position for later, and no `seeked` follows.
      const seeked = video.readyState === HTMLMediaElement.HAVE_NOTHING ? Promise.resolve() : wait(video, 'seeked');
      // As the HTML element does: a position past the end is the end.
      video.currentTime = Math.max(0, Number.isFinite(video.duration) ? Math.min(position, video.duration) : position);
      await seeked;
      sendStatus(undefined, requestId);
    },
    stop(requestId) {
      const video = bind();
      if (pending) {
        pending.settle(new Error('LOAD_CANCELLED: stopped'));
        pending = undefined;
      }
      end(m.IdleReason.CANCELLED, requestId);
      clearElement(video);
    },
  };
}
