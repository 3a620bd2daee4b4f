// What the receiver is playing, read from the page's one <video> element (which CAF
// also plays into, as its `castMediaElement`) or shown in its <img> for photos.
import type { ControlStatus, ReceiverCommand } from '../../src/protocol/index.ts';
import { errorMessage } from '../../src/errors.ts';
import { mediaErrorText } from './error-words.ts';

export type LoadCommand = Extract<ReceiverCommand, { type: 'load' }>;
export type PlaybackState = ControlStatus['state'];
export interface Volume {
  level: number;
  muted: boolean;
}

/** How media is started and steered: straight on the element, or through CAF's PlayerManager. */
export interface Driver {
  load(command: LoadCommand, video: HTMLVideoElement): Promise<void>;
  play(video: HTMLVideoElement): Promise<void>;
  pause(video: HTMLVideoElement): void;
  seek(video: HTMLVideoElement, position: number): void;
  stop(video: HTMLVideoElement): void;
  /** Sets the volume; absent on a Chromecast, whose volume is the device's and set by senders. */
  setVolume?(video: HTMLVideoElement, level: number | undefined, muted: boolean | undefined): void;
  /** The volume to report: the element's, or the device's on a Chromecast. */
  volume(video: HTMLVideoElement): Volume;
}

/** The event a driver dispatches on the element when a stream fails where the element itself cannot see it (hls.js). */
export const STREAM_ERROR_EVENT = 'nascast-stream-error';

export { mediaErrorText } from './error-words.ts';

/**
 * One receiver's playback state: it turns element events into the protocol's states
 * and calls `onChange` on every change, and every second while playing.
 */
export class Playback {
  readonly #video: HTMLVideoElement;
  readonly #image: HTMLImageElement;
  readonly #driver: Driver;
  readonly #onChange: (status: ControlStatus) => void;
  #state: PlaybackState = 'IDLE';
  #media: LoadCommand | undefined;
  #error: string | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #loading: { resolve(): void; reject(error: Error): void } | undefined;

  constructor(video: HTMLVideoElement, image: HTMLImageElement, driver: Driver, onChange: (status: ControlStatus) => void) {
    this.#video = video;
    this.#image = image;
    this.#driver = driver;
    this.#onChange = onChange;
    const on = (type: string, handler: () => void): void => video.addEventListener(type, handler);
    on('playing', () => this.#set('PLAYING'));
    on('waiting', () => this.#state === 'PLAYING' && this.#set('BUFFERING'));
    on('pause', () => (this.#state === 'PLAYING' || this.#state === 'BUFFERING') && !video.ended && this.#set('PAUSED'));
    on('ended', () => this.#set('ENDED'));
    on('error', () => this.#fail(mediaErrorText(video.error)));
    video.addEventListener(STREAM_ERROR_EVENT, (event) => this.#fail(String((event as CustomEvent<unknown>).detail)));
    for (const type of ['seeked', 'volumechange', 'durationchange']) on(type, () => this.#report());
  }

  get media(): LoadCommand | undefined {
    return this.#media;
  }

  /** Loads and starts; resolves once it plays (a photo: once it shows), rejects with the reason it cannot. */
  load(command: LoadCommand): Promise<void> {
    this.#loading?.reject(new Error('replaced by a newer load'));
    this.#media = command;
    this.#error = undefined;
    this.#set('LOADING');
    if (command.kind === 'image') return this.#showImage(command);
    this.#image.hidden = true;
    this.#video.hidden = false;
    const started = new Promise<void>((resolve, reject) => (this.#loading = { resolve, reject }));
    this.#driver.load(command, this.#video).catch((error: unknown) => {
      // Autoplay refused (a browser target nobody has touched yet): loaded, but paused.
      if (error instanceof DOMException && error.name === 'NotAllowedError') {
        this.#error = 'the browser blocked autoplay: press play on this screen';
        this.#loading?.resolve();
        this.#loading = undefined;
        return this.#set('PAUSED');
      }
      // play() rejects vaguely ("no supported source"); the element's own error says more.
      this.#fail(this.#video.error ? mediaErrorText(this.#video.error) : errorMessage(error));
    });
    return started;
  }

  async play(): Promise<void> {
    if (this.#media?.kind === 'image') return;
    await this.#driver.play(this.#video);
  }

  pause(): void {
    if (this.#media?.kind !== 'image') this.#driver.pause(this.#video);
  }

  seek(position: number): void {
    if (this.#media?.kind !== 'image') this.#driver.seek(this.#video, position);
  }

  stop(): void {
    // Forgotten first: the driver's own load, rejected by the stop, is then no failure.
    this.#loading?.reject(new Error('stopped'));
    this.#loading = undefined;
    this.#media = undefined;
    this.#driver.stop(this.#video);
    this.stopped('stopped');
  }

  /**
   * Follows a LOAD another sender made through CAF (which plays it): this media is now
   * what plays, and the element's events report how it goes. Our own load, seen again, changes nothing.
   */
  loadedElsewhere(command: LoadCommand): void {
    if (this.#media?.url === command.url && this.#state === 'LOADING') return;
    this.#loading?.reject(new Error('replaced by a load from another sender'));
    this.#loading = undefined;
    this.#media = command;
    this.#error = undefined;
    this.#image.hidden = true;
    this.#video.hidden = false;
    this.#set('LOADING');
  }

  /** Nothing plays any more: stopped here, or by another sender through CAF. */
  stopped(why = 'stopped by another sender'): void {
    this.#loading?.reject(new Error(why));
    this.#loading = undefined;
    this.#media = undefined;
    this.#error = undefined;
    this.#image.hidden = true;
    this.#image.removeAttribute('src');
    this.#set('IDLE');
  }

  volume(level: number | undefined, muted: boolean | undefined): void {
    if (!this.#driver.setVolume) throw new Error("on a Chromecast the volume is the device's: NasCast sets it on the receiver namespace");
    this.#driver.setVolume(this.#video, level, muted);
  }

  /** Reports the status now (the device's volume changed, which the element does not see). */
  refresh(): void {
    this.#report();
  }

  status(): ControlStatus {
    const video = this.#video;
    const duration = Number.isFinite(video.duration) ? video.duration : undefined;
    const media = this.#media;
    return {
      state: this.#state,
      position: media && media.kind !== 'image' ? video.currentTime : 0,
      ...(media && media.kind !== 'image' && duration !== undefined ? { duration } : {}),
      ...this.#volume(),
      ...(media ? { media: { url: media.url, contentType: media.contentType, ...(media.title ? { title: media.title } : {}) } } : {}),
      ...(this.#error ? { error: this.#error } : {}),
    };
  }

  #volume(): { volume: number; muted: boolean } {
    const { level, muted } = this.#driver.volume(this.#video);
    return { volume: level, muted };
  }

  #showImage(command: LoadCommand): Promise<void> {
    this.#driver.stop(this.#video);
    this.#video.hidden = true;
    const image = this.#image;
    return new Promise((resolve, reject) => {
      image.onload = () => {
        this.#set('PLAYING');
        resolve();
      };
      image.onerror = () => {
        const reason = 'the picture could not be fetched or decoded';
        this.#fail(reason);
        reject(new Error(reason));
      };
      image.src = command.url;
      image.hidden = false;
    });
  }

  #fail(reason: string): void {
    if (!this.#media || this.#state === 'ERROR') return; // errors of a stopped element, or a second word on the same failure
    this.#error = reason;
    this.#set('ERROR');
    this.#loading?.reject(new Error(reason));
    this.#loading = undefined;
  }

  #set(state: PlaybackState): void {
    if (state === 'PLAYING' || state === 'PAUSED') {
      this.#loading?.resolve();
      this.#loading = undefined;
    }
    if (state === 'PLAYING' && this.#error?.startsWith('the browser blocked')) this.#error = undefined;
    this.#state = state;
    clearInterval(this.#ticker);
    if (state === 'PLAYING' && this.#media?.kind !== 'image') this.#ticker = setInterval(() => this.#report(), 1000);
    this.#report();
  }

  #report(): void {
    this.#onChange(this.status());
  }
}
