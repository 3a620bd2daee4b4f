// The receiver's screens: idle (library name, time, "ready to cast"), loading, now
// playing (title and a progress bar that fades), and an error screen in words.
import type { ControlStatus } from '../../src/protocol/index.ts';

const FADE_AFTER_MS = 5000;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`receiver page: #${id} is missing`);
  return found;
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
  #fadeTimer: ReturnType<typeof setTimeout> | undefined;
  #lastState: ControlStatus['state'] | undefined;
  #lastTitle: string | undefined;

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
    element('error-title').textContent = title;
    element('error-reason').textContent = reason;
  }

  /** Shows the now-playing bar for a while (the remote's "information" key). */
  showOverlay(): void {
    this.#nowPlaying.classList.remove('faded');
    this.#armFade();
  }

  render(status: ControlStatus): void {
    const title = status.media?.title ?? 'Untitled';
    switch (status.state) {
      case 'IDLE':
        this.#show(this.#idle);
        break;
      case 'LOADING':
        this.#show(this.#loading);
        element('loading-title').textContent = title;
        break;
      case 'ERROR':
        this.showFatal(`Could not play “${title}”`, status.error ?? 'the receiver gave no reason');
        break;
      default:
        this.#show(this.#nowPlaying);
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
      if (this.#lastState === 'PLAYING') this.#nowPlaying.classList.add('faded');
    }, FADE_AFTER_MS);
  }

  #show(screen: HTMLElement): void {
    for (const other of [this.#idle, this.#loading, this.#nowPlaying, this.#error]) other.hidden = other !== screen;
  }
}
