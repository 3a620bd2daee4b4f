// The receiver's screens: idle (library name, time, "ready to cast"), loading (over
// the item's artwork when it has some), now playing (title and a progress bar that
// fades; for a song with a cover, the cover over a blurred copy of itself, which
// stays), and an error screen in words.
import type { ControlStatus } from '../../src/protocol/index.ts';
import { Artwork } from './artwork.ts';
import type { LoadCommand } from './playback.ts';

const FADE_AFTER_MS = 5000;

/** What the screens need of the media that plays. */
export type ScreenMedia = Pick<LoadCommand, 'kind' | 'contentType' | 'image'>;

/** Where the artwork shows: nowhere, behind the loading spinner, or as the song's screen. */
type ArtPlace = 'none' | 'loading' | 'audio';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`receiver page: #${id} is missing`);
  return found;
}

function imageElement(id: string): HTMLImageElement {
  const found = element(id);
  if (!(found instanceof HTMLImageElement)) throw new Error(`receiver page: #${id} is not an <img>`);
  return found;
}

function kindOf(media: ScreenMedia): NonNullable<LoadCommand['kind']> {
  if (media.kind) return media.kind;
  return media.contentType.startsWith('audio/') ? 'audio' : media.contentType.startsWith('image/') ? 'image' : 'video';
}

/** Seconds as `1:02:03` or `2:03`. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export class Screens {
  readonly #idle = element('idle');
  readonly #loading = element('loading');
  readonly #nowPlaying = element('now-playing');
  readonly #error = element('error');
  readonly #link = element('link');
  readonly #backdrop = imageElement('backdrop');
  readonly #cover = imageElement('np-cover');
  readonly #artwork = new Artwork([this.#backdrop, this.#cover], () => {
    if (this.#lastStatus) this.render(this.#lastStatus, this.#lastMedia);
  });
  #fadeTimer: ReturnType<typeof setTimeout> | undefined;
  #lastState: ControlStatus['state'] | undefined;
  #lastTitle: string | undefined;
  #lastStatus: ControlStatus | undefined;
  #lastMedia: ScreenMedia | undefined;

  constructor() {
    const tick = (): void => {
      element('clock').textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    };
    tick();
    setInterval(tick, 1000);
  }

  /** The library's name on the idle screen, and the browser target's own name if it has one. */
  setNames(library: string | undefined, target: string | undefined): void {
    if (library) element('library-name').textContent = library;
    const targetName = element('target-name');
    targetName.textContent = target ? `This screen is “${target}”` : '';
    targetName.hidden = !target;
  }

  /** A small notice while the control channel is down; playback goes on meanwhile. */
  setLink(state: 'open' | 'connecting' | 'waiting' | 'closed', detail?: string): void {
    this.#link.hidden = state === 'open';
    this.#link.textContent = state === 'closed' ? `Not connected to NasCast: ${detail ?? 'closed'}` : 'Reconnecting to NasCast…';
  }

  /** Shows the error screen with a reason, whatever the playback state. */
  showFatal(title: string, reason: string): void {
    this.#show(this.#error);
    this.#placeArt('none');
    element('error-title').textContent = title;
    element('error-reason').textContent = reason;
  }

  /** Shows the now-playing bar for a while (the remote's "information" key). */
  showOverlay(): void {
    this.#nowPlaying.classList.remove('faded');
    this.#armFade();
  }

  /** Shows the screen of a status; `media` is what plays (its kind and artwork), if anything. */
  render(status: ControlStatus, media?: ScreenMedia): void {
    this.#lastStatus = status;
    this.#lastMedia = media;
    const title = status.media?.title ?? 'Untitled';
    const kind = media && status.media ? kindOf(media) : undefined;
    // A photo is its own picture; everything else shows its artwork once it has loaded.
    const hasArt = this.#artwork.want(kind && kind !== 'image' ? media?.image : undefined);
    switch (status.state) {
      case 'IDLE':
        this.#show(this.#idle);
        this.#placeArt('none');
        break;
      case 'LOADING':
        this.#show(this.#loading);
        this.#placeArt(hasArt ? 'loading' : 'none', kind);
        element('loading-title').textContent = title;
        break;
      case 'ERROR':
        this.showFatal(`Could not play “${title}”`, status.error ?? 'the receiver gave no reason');
        break;
      default:
        this.#show(this.#nowPlaying);
        this.#placeArt(hasArt && kind === 'audio' ? 'audio' : 'none');
        this.#renderProgress(status, title);
    }
    this.#lastState = status.state;
    this.#lastTitle = title;
  }

  #renderProgress(status: ControlStatus, title: string): void {
    element('np-title').textContent = title;
    const duration = status.duration;
    element('np-progress').style.width = duration ? `${Math.min(100, (status.position / duration) * 100)}%` : '0%';
    element('np-time').textContent = clock(status.position);
    element('np-duration').textContent = duration ? clock(duration) : '';
    element('np-state').textContent = status.state === 'PLAYING' ? '' : status.state === 'ENDED' ? 'Finished' : status.state.charAt(0) + status.state.slice(1).toLowerCase();
    const notice = element('np-notice');
    notice.textContent = status.error ?? '';
    notice.hidden = !status.error;
    // The bar shows on a change of state or title, stays while paused, and fades while playing.
    if (status.state !== this.#lastState || title !== this.#lastTitle) this.showOverlay();
    if (status.state !== 'PLAYING') {
      clearTimeout(this.#fadeTimer);
      this.#nowPlaying.classList.remove('faded');
    }
  }

  #armFade(): void {
    clearTimeout(this.#fadeTimer);
    this.#fadeTimer = setTimeout(() => {
      // A song's screen is all there is to see: it stays.
      if (this.#lastState === 'PLAYING' && !this.#nowPlaying.classList.contains('audio')) this.#nowPlaying.classList.add('faded');
    }, FADE_AFTER_MS);
  }

  /**
   * The artwork's place: behind the spinner (a film's picture dimmed, a song's cover
   * blurred), or a song's screen (the cover, and a blurred, darkened copy filling the
   * screen behind it and the now-playing text, which then sits below the cover).
   */
  #placeArt(place: ArtPlace, kind?: LoadCommand['kind']): void {
    this.#backdrop.hidden = place === 'none';
    this.#backdrop.classList.toggle('poster', place === 'loading' && kind === 'video');
    this.#cover.hidden = place !== 'audio';
    this.#loading.classList.toggle('over-art', place === 'loading');
    this.#nowPlaying.classList.toggle('audio', place === 'audio');
    if (place === 'audio') this.#nowPlaying.classList.remove('faded');
  }

  #show(screen: HTMLElement): void {
    for (const other of [this.#idle, this.#loading, this.#nowPlaying, this.#error]) other.hidden = other !== screen;
  }
}
