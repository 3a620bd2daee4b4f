// The two ways media reaches the <video>: set on the element (any browser), or through
// CAF's PlayerManager on a Chromecast, so that phones and the Google Home app see the
// media and its controls.
import type { CafReceiverContext, CastFramework } from './cast-framework.d.ts';
import type { Driver, LoadCommand } from './playback.ts';

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
    video.src = command.url;
    if (command.startAt) {
      const startAt = command.startAt;
      video.addEventListener('loadedmetadata', () => (video.currentTime = startAt), { once: true });
    }
    showSubtitle(video, command.subtitle);
    await video.play();
  },
  play: (video) => video.play(),
  pause: (video) => video.pause(),
  seek: (video, position) => {
    video.currentTime = position;
  },
  stop: (video) => {
    video.pause();
    video.removeAttribute('src');
    for (const old of video.querySelectorAll('track')) old.remove();
    video.load();
  },
};

function showSubtitle(video: HTMLVideoElement, lang: string | undefined): void {
  for (const track of Array.from(video.textTracks)) track.mode = lang && track.language === lang ? 'showing' : 'disabled';
}

/** Plays through CAF's PlayerManager, into the same element (it is the `castMediaElement`). */
export function cafDriver(framework: CastFramework, context: CafReceiverContext): Driver {
  const player = context.getPlayerManager();
  return {
    async load(command: LoadCommand) {
      const { messages } = framework;
      const media = new messages.MediaInformation();
      media.contentId = command.url;
      media.contentUrl = command.url;
      media.contentType = command.contentType;
      media.streamType = messages.StreamType.BUFFERED;
      const metadata = new messages.GenericMediaMetadata();
      if (command.title) metadata.title = command.title;
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
  };
}
