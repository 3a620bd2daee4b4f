// A small stand-in for the Cast Web Receiver SDK (`cast.framework`), injected by the
// NasCast simulator before the receiver page's own scripts run, so that the page takes
// the code path it takes on a Chromecast. The receiver page never loads this file.
//
// It covers what receiver/src uses, nothing more: CastReceiverContext (custom message
// listeners, sendCustomMessage, start) and a PlayerManager that plays into the page's
// `video.castMediaElement`, as CAF does. Messages cross to the simulator through two
// functions it exposes with Playwright (`__nascastCastSend`, `__nascastCastReady`) and
// come in through `__nascastCastDeliver`, which this file defines.
import type { CafLoadRequest, CafMediaInformation, CafPlayerManager, CafReceiverContext, CafTrack, CastFramework, CastMessageEvent } from './cast-framework.d.ts';

interface SimulatorBridge {
  __nascastCastSend?(namespace: string, senderId: string | undefined, data: unknown): Promise<void>;
  __nascastCastReady?(namespaces: string[]): Promise<void>;
  __nascastCastDeliver?(namespace: string, senderId: string, data: unknown): void;
}

/** Installs `globalThis.cast.framework`; run by the simulator as an init script. */
export function installCastFrameworkStandIn(): void {
  const bridge = globalThis as typeof globalThis & SimulatorBridge;
  const listeners = new Map<string, Array<(event: CastMessageEvent) => void>>();

  const mediaElement = (): HTMLVideoElement => {
    const element = document.querySelector<HTMLVideoElement>('video.castMediaElement');
    if (!element) throw new Error('the page has no video.castMediaElement');
    return element;
  };

  const playerManager: CafPlayerManager = {
    async load(request: CafLoadRequest) {
      const video = mediaElement();
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
        track.default = request.activeTrackIds?.includes(source.trackId) ?? false;
        video.append(track);
      }
      video.src = request.media.contentUrl ?? request.media.contentId;
      const startAt = request.currentTime;
      if (startAt) video.addEventListener('loadedmetadata', () => (video.currentTime = startAt), { once: true });
      const active = new Set(request.activeTrackIds ?? []);
      video.addEventListener(
        'loadedmetadata',
        () => {
          const languages = tracks.filter((track) => active.has(track.trackId)).map((track) => track.language);
          for (const track of Array.from(video.textTracks)) track.mode = languages.includes(track.language) ? 'showing' : 'disabled';
        },
        { once: true },
      );
      // CAF's load settles once playback starts (autoplay) or fails.
      if (request.autoplay !== false) await video.play();
    },
    play() {
      // CAF's play() returns nothing; a refusal shows as the element staying paused.
      mediaElement().play().catch(() => {});
    },
    pause() {
      mediaElement().pause();
    },
    seek(seconds: number) {
      mediaElement().currentTime = seconds;
    },
    stop() {
      const video = mediaElement();
      video.pause();
      video.removeAttribute('src');
      for (const old of video.querySelectorAll('track')) old.remove();
      video.load();
    },
  };

  const context: CafReceiverContext = {
    addCustomMessageListener(namespace, listener) {
      listeners.set(namespace, [...(listeners.get(namespace) ?? []), listener]);
    },
    sendCustomMessage(namespace, senderId, data) {
      void bridge.__nascastCastSend?.(namespace, senderId, data);
    },
    getPlayerManager: () => playerManager,
    start(options) {
      void bridge.__nascastCastReady?.(Object.keys(options?.customNamespaces ?? {}));
      return context;
    },
  };

  bridge.__nascastCastDeliver = (namespace, senderId, data) => {
    for (const listener of listeners.get(namespace) ?? []) listener({ data, senderId });
  };

  class MediaInformation implements CafMediaInformation {
    contentId = '';
    contentType = '';
  }
  class LoadRequestData implements CafLoadRequest {
    media: CafMediaInformation = new MediaInformation();
  }
  class Track implements CafTrack {
    trackId: number;
    type: string;
    constructor(trackId: number, type: string) {
      this.trackId = trackId;
      this.type = type;
    }
  }
  const framework: CastFramework = {
    CastReceiverContext: { getInstance: () => context },
    messages: {
      LoadRequestData,
      MediaInformation,
      GenericMediaMetadata: class {
        title?: string;
      },
      Track,
      TrackType: { TEXT: 'TEXT' },
      TextTrackType: { SUBTITLES: 'SUBTITLES' },
      StreamType: { BUFFERED: 'BUFFERED' },
    },
    system: { MessageType: { JSON: 'JSON' } },
  };
  globalThis.cast = { framework };
}
