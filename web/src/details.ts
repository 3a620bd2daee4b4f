// The details of an item before casting, in a dialog (full screen on phones): its large
// picture, what it is, its audio and subtitle tracks, why it cannot play if it cannot,
// and the buttons that cast it (resume or from the start when it was left half way).
import { ApiError, type Api, type Item, type ItemDetails } from './api.ts';
import { artBox, progressOf } from './cards.ts';
import type { Devices } from './devices.ts';
import { $, clearMessage, el } from './dom.ts';
import { audioLabel, formatSize, formatTime, languageName, secondLine, subtitleLabel, videoLabel } from './format.ts';

export class Details {
  readonly #api: Api;
  readonly #devices: Devices;
  readonly #dialog = $<HTMLDialogElement>('#details');
  #item: Item | undefined;

  constructor(api: Api, devices: Devices) {
    this.#api = api;
    this.#devices = devices;
    devices.onChange(() => this.#renderDevices());
    $('#details-close').addEventListener('click', () => this.#dialog.close());
    // On a phone the details fill the screen, and Back should close them: opening adds a
    // history entry, closing takes it away, and Back closes the dialog.
    this.#dialog.addEventListener('close', () => (history.state as { details?: boolean } | null)?.details && history.back());
    window.addEventListener('popstate', () => !(history.state as { details?: boolean } | null)?.details && this.close());
    // A click on the backdrop (the dialog itself, outside its content) closes it.
    this.#dialog.addEventListener('click', (event) => event.target === this.#dialog && this.#dialog.close());
    $('#details-device').addEventListener('change', (event) => devices.choose((event.target as HTMLSelectElement).value));
    $('#details-resume').addEventListener('click', () => void this.#cast({}));
    $('#details-restart').addEventListener('click', () => void this.#cast({ startAt: 0 }));
    $('#details-cast').addEventListener('click', () => void this.#cast({}));
    for (const id of ['#details-audio-choice', '#details-subtitles']) $(id).addEventListener('change', () => void this.#explain());
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }

  /** Shows the item at once from its card's data, then its tracks when /api/item answers. */
  open(item: Item): void {
    this.#item = item;
    const large = item.artwork.replace('size=small', 'size=large');
    const art = artBox(item.kind, large, true);
    art.classList.add('details-art');
    $('#details-art').replaceWith(art);
    art.id = 'details-art';
    $('#details-title').textContent = item.title || item.name;
    $('#details-sub').textContent = secondLine(item);
    $('#details-file').textContent = item.name;
    $('#details-message').hidden = true;
    this.#renderFacts(item);
    this.#renderWatched(item);
    this.#renderButtons();
    this.#renderDevices();
    this.#renderTracks(item, undefined);
    if (!this.#dialog.open) {
      history.pushState({ ...(history.state as object | null), details: true }, '');
      this.#dialog.showModal();
    }
    this.#dialog.scrollTop = 0;
    // The focus starts on what people open the details for: the button that casts.
    this.#dialog.querySelector<HTMLButtonElement>('.details-actions button:not([hidden]):not(:disabled)')?.focus();
    this.#api.get<ItemDetails>('item', { id: item.id }).then(
      (details) => {
        if (this.#item?.id !== item.id) return;
        this.#item = details;
        this.#renderFacts(details);
        this.#renderWatched(details);
        this.#renderTracks(details, details.media);
        this.#renderButtons();
      },
      (error: unknown) => {
        if (this.#item?.id === item.id && !(error instanceof ApiError && error.status === 401)) this.#say((error as Error).message);
      },
    );
  }

  #renderFacts(item: Item | ItemDetails): void {
    const media = 'media' in item ? item.media : undefined;
    const video = media?.video[0];
    const photo = media?.photo;
    const facts = [
      item.duration === undefined ? undefined : formatTime(item.duration),
      item.year === undefined || item.series === undefined ? undefined : String(item.year),
      item.airDate,
      video ? videoLabel(video) : undefined,
      photo?.width && photo.height ? `${photo.width}×${photo.height}` : undefined,
      photo?.taken ? `taken ${photo.taken.replace('T', ' ')}` : undefined,
      media?.tags.genre,
      formatSize(item.size),
    ];
    $('#details-facts').textContent = facts.filter(Boolean).join(' · ');
    const problem = $('#details-problem');
    problem.hidden = !item.problem;
    problem.textContent = item.problem ? `This cannot be played: ${item.problem}` : '';
  }

  #renderWatched(item: Item): void {
    const box = $('#details-watched');
    const progress = progressOf(item);
    box.hidden = !item.watched;
    if (!item.watched) return;
    const text = item.watched.finished ? '✓ Watched' : `Left at ${formatTime(item.watched.position)}${item.duration ? ` of ${formatTime(item.duration)}` : ''}`;
    const bar = el('span', 'progress');
    const fill = el('span');
    fill.style.width = `${Math.round((progress ?? 0) * 100)}%`;
    bar.append(fill);
    box.replaceChildren(el('span', '', text), bar);
  }

  #renderTracks(item: Item, media: ItemDetails['media'] | undefined): void {
    const audio = media?.audio ?? [];
    $('#details-audio').hidden = audio.length === 0;
    $('#details-audio-list').replaceChildren(...audio.map((track, index) => el('li', '', audioLabel(track, index + 1))));
    const external = item.subtitles.map((track) => el('li', '', `${languageName(track.lang) ?? 'Unknown language'} · separate file`));
    const embedded = (media?.subtitles ?? []).map((track, index) => el('li', '', subtitleLabel(track, index + 1)));
    $('#details-subs').hidden = external.length + embedded.length === 0;
    $('#details-subs-list').replaceChildren(...external, ...embedded);
    const choice = $<HTMLSelectElement>('#details-subtitles');
    // Files beside it, then the streams inside it (text ones are served as WebVTT; pictures are burned in).
    const languages = [...new Set([...item.subtitles.map((track) => track.lang), ...(media?.subtitles ?? []).flatMap((track) => (track.language ? [track.language] : []))])];
    choice.replaceChildren(new Option('Off', ''), ...languages.map((lang) => new Option(languageName(lang) ?? 'Unknown language', lang)));
    $('#details-subtitles-field').hidden = languages.length === 0;
    const voices = [...new Set(audio.flatMap((track) => (track.language ? [track.language] : [])))];
    const audioChoice = $<HTMLSelectElement>('#details-audio-choice');
    audioChoice.replaceChildren(new Option('As the file says', ''), ...voices.map((lang) => new Option(languageName(lang) ?? lang, lang)));
    $('#details-audio-field').hidden = voices.length < 2;
    $('#details-pending').hidden = media !== null || item.kind === 'image';
    void this.#explain();
  }

  /** What NasCast does to the file for the chosen device with these tracks, and why, under the buttons. */
  async #explain(): Promise<void> {
    const item = this.#item;
    const line = $('#details-decision');
    if (!item || item.kind === 'image') return void (line.hidden = true);
    const decision = await this.#devices.decision(item.id, this.#choices()).catch(() => undefined);
    if (this.#item?.id !== item.id) return;
    line.hidden = decision === undefined;
    if (!decision) return;
    const what = { direct: 'Plays as it is', remux: 'NasCast repackages it for this device (streams copied)', audio: 'NasCast converts the sound for this device', video: 'NasCast converts the picture for this device' }[decision.mode] ?? decision.mode;
    line.textContent = decision.mode === 'direct' ? `${what}.` : `${what}: ${decision.reasons.join('; ')}.`;
  }

  #choices(): { audio?: string; subtitles?: string } {
    const audio = $<HTMLSelectElement>('#details-audio-choice').value;
    const subtitles = $<HTMLSelectElement>('#details-subtitles').value;
    return { ...(audio ? { audio } : {}), ...(subtitles ? { subtitles } : {}) };
  }

  #renderButtons(): void {
    const item = this.#item;
    if (!item) return;
    const inProgress = item.watched !== undefined && !item.watched.finished && item.watched.position > 0;
    const resume = $<HTMLButtonElement>('#details-resume');
    resume.textContent = inProgress ? `▶ Resume from ${formatTime(item.watched!.position)}` : '';
    resume.hidden = !inProgress;
    $('#details-restart').hidden = !inProgress;
    const cast = $<HTMLButtonElement>('#details-cast');
    cast.hidden = inProgress;
    cast.textContent = item.kind === 'image' ? '▶ Show' : item.watched?.finished ? '▶ Play again' : '▶ Play';
    const device = this.#devices.chosen;
    const reason = item.problem ? `It cannot be played: ${item.problem}` : device ? '' : 'Pick a device to cast to first.';
    for (const id of ['#details-resume', '#details-restart', '#details-cast']) {
      const element = $<HTMLButtonElement>(id);
      element.disabled = reason !== '';
      element.title = reason;
    }
  }

  #renderDevices(): void {
    const devices = this.#devices.all;
    const select = $<HTMLSelectElement>('#details-device');
    select.replaceChildren(...devices.map((device) => new Option(`${device.name}${device.online ? '' : ' (offline)'}`, device.id)));
    select.value = this.#devices.chosen?.id ?? '';
    if (!this.#devices.chosen) select.selectedIndex = -1;
    $('#details-device-field').hidden = devices.length === 0;
    $('#details-no-device').hidden = devices.length > 0;
    this.#renderButtons();
    void this.#explain();
  }

  async #cast(fields: { startAt?: number }): Promise<void> {
    const item = this.#item;
    if (!item) return;
    const buttons = [...this.#dialog.querySelectorAll<HTMLButtonElement>('.details-actions button')];
    for (const element of buttons) element.disabled = true;
    this.#say(`Casting ${item.title || item.name} on ${this.#devices.chosen?.name ?? 'the device'}…`, 'info');
    try {
      await this.#devices.play(item.id, { ...fields, ...this.#choices() });
      clearMessage();
      if (this.#item?.id === item.id) this.close();
    } catch (error) {
      if (this.#item?.id === item.id) this.#say((error as Error).message);
    } finally {
      this.#renderButtons();
    }
  }

  #say(text: string, kind: 'error' | 'info' = 'error'): void {
    const box = $('#details-message');
    box.textContent = text;
    box.className = `message ${kind === 'info' ? 'info' : ''}`;
    box.hidden = false;
  }
}
