// The two ways media reaches the <video>: set on the element (any browser), or through
// CAF's PlayerManager on a Chromecast, so that phones and the Google Home app see the
// media and its controls. The volume differs too: a browser's is the element's, a
// Chromecast's is the device's (its system volume, which only senders set).
import type { framework } from 'chromecast-caf-receiver';
import { attachHls, detachHls, isHls, needsHlsJs } from './hls-element.ts';
import { STREAM_ERROR_EVENT, type Driver, type LoadCommand, type Volume } from './playback.ts';

/** Plays straight on the element: browsers and browser targets. */
export const elementDriver: Driver = {
  async load(command, video) {
    for (const old of video.querySelectorAll('track')) old.remove();
    // Tracks from another origin need CORS; NasCast's own URLs send it. External media may not, so only when needed.
    if (command.subtitles?.length) video.crossOrigin = 'anonymous';
    else video.removeAttribute('crossorigin');
    for (const subtitle of command.subtitles ?? []) {
      const track = document.createElement('track');
      track.kind = 'subtitles';
      track.srclang = subtitle.lang;
      track.label = subtitle.lang;
      track.src = subtitle.url;
      track.default = subtitle.lang === command.subtitle;
      video.append(track);
    }
    wantSubtitle(video, command.subtitle);
    detachHls(video);
    if (isHls(command.contentType) && needsHlsJs(video)) {
      await attachHls(video, command.url, (reason) => video.dispatchEvent(new CustomEvent(STREAM_ERROR_EVENT, { detail: reason })));
    } else {
      video.src = command.url;
    }
    if (command.startAt) {
      const startAt = command.startAt;
      video.addEventListener('loadedmetadata', () => (video.currentTime = startAt), { once: true });
    }
    await video.play();
  },
  play: (video) => video.play(),
  pause: (video) => video.pause(),
  seek: (video, position) => {
    video.currentTime = position;
  },
  stop: (video) => {
    wantSubtitle(video, undefined);
    detachHls(video);
    video.pause();
    video.removeAttribute('src');
    for (const old of video.querySelectorAll('track')) old.remove();
    video.load();
  },
  setVolume: (video, level, muted) => {
    if (level !== undefined) video.volume = level;
    if (muted !== undefined) video.muted = muted;
  },
  volume: (video) => ({ level: video.volume, muted: video.muted }),
};

// The subtitle language each element should show. Chromium turns tracks on by itself
// (one matching its own language, or the one marked default) when it reads the media,
// after the load has set the modes: so the wanted modes are held on every change,
// which nobody else makes on a receiver.
const wanted = new WeakMap<HTMLVideoElement, string | undefined>();

function wantSubtitle(video: HTMLVideoElement, lang: string | undefined): void {
  if (!wanted.has(video)) {
    video.textTracks.addEventListener('change', () => holdSubtitle(video));
    video.textTracks.addEventListener('addtrack', () => holdSubtitle(video));
  }
  wanted.set(video, lang);
  holdSubtitle(video);
}

function holdSubtitle(video: HTMLVideoElement): void {
  const lang = wanted.get(video);
  for (const track of Array.from(video.textTracks)) {
    const mode = lang !== undefined && track.language === lang ? 'showing' : 'disabled';
    if (track.mode !== mode) track.mode = mode;
  }
}

/** A driver on CAF, which also learns the device's volume (from the hand-over, then from SYSTEM_VOLUME_CHANGED). */
export interface CafDriver extends Driver {
  setSystemVolume(volume: Volume): void;
}

/** Plays through CAF's PlayerManager, into the same element (it is the `castMediaElement`). */
export function cafDriver(caf: typeof cast.framework, context: framework.CastReceiverContext): CafDriver {
  const player = context.getPlayerManager();
  // Until a sender says otherwise; NasCast's hand-over carries the device's volume.
  let system: Volume = { level: 1, muted: false };
  return {
    async load(command: LoadCommand) {
      const { messages } = caf;
      const media = new messages.MediaInformation();
      media.contentId = command.url;
      media.contentUrl = command.url;
      media.contentType = command.contentType;
      media.streamType = messages.StreamType.BUFFERED;
      // NasCast's conversions are HLS with fMP4 segments; CAF assumes MPEG-TS unless told.
      if (command.hlsSegmentFormat === 'fmp4') {
        media.hlsSegmentFormat = messages.HlsSegmentFormat.FMP4;
        media.hlsVideoSegmentFormat = messages.HlsVideoSegmentFormat.FMP4;
      }
      const metadata = new messages.GenericMediaMetadata();
      if (command.title) metadata.title = command.title;
      // What phones and the Google Home app show of it, as the Default Media Receiver's LOAD carries it.
      if (command.image) metadata.images = [new messages.Image(command.image)];
      media.metadata = metadata;
      const subtitles = command.subtitles ?? [];
      media.tracks = subtitles.map((subtitle, index) => {
        const track = new messages.Track(index + 1, messages.TrackType.TEXT);
        track.trackContentId = subtitle.url;
        track.trackContentType = 'text/vtt';
        track.subtype = messages.TextTrackType.SUBTITLES;
        track.language = subtitle.lang;
        track.name = subtitle.lang;
        return track;
      });
      const request = new messages.LoadRequestData();
      request.media = media;
      request.autoplay = true;
      if (command.startAt) request.currentTime = command.startAt;
      const active = subtitles.findIndex((subtitle) => subtitle.lang === command.subtitle);
      if (active >= 0) request.activeTrackIds = [active + 1];
      await player.load(request);
    },
    play: () => Promise.resolve(player.play()),
    pause: () => player.pause(),
    seek: (_video, position) => player.seek(position),
    stop: () => player.stop(),
    // No setVolume: CAF cannot set the system volume; the element's stays at full.
    volume: () => ({ ...system }),
    setSystemVolume: (volume) => {
      system = { ...volume };
    },
  };
}
