// The devices column: one card per device with what it plays and its controls, live
// from the hub's status messages, and the device casts go to.
import type { ControlStatus } from '../../src/protocol/index.ts';
import { ControlError, errorMessage } from '../../src/errors.ts';
import { formatTime, positionNow } from '../../src/display.ts';
import { $, clearMessage, show } from './dom.ts';
import type { Hub } from './hub.ts';

export interface Device {
  id: string;
  name: string;
  kind: string;
  online: boolean;
}

interface Card {
  root: HTMLElement;
  device: Device;
  status?: ControlStatus;
  at: number;
}

export class Devices {
  readonly #cards = new Map<string, Card>();
  readonly #listeners = new Set<() => void>();
  #hub: Hub | undefined;
  #chosen: string | undefined;

  /** The device casts go to, if one is chosen (the only one is chosen by itself). */
  get chosen(): Device | undefined {
    return this.#chosen === undefined ? undefined : this.#cards.get(this.#chosen)?.device;
  }

  get all(): Device[] {
    return [...this.#cards.values()].map((card) => card.device);
  }

  /** Calls `listener` whenever the list or the choice changes. */
  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  use(hub: Hub | undefined): void {
    this.#hub = hub;
    if (hub) return;
    this.#cards.clear();
    $('#device-list').replaceChildren();
    this.#changed();
  }

  choose(device: string): void {
    this.#chosen = device;
    const radio = this.#cards.get(device)?.root.querySelector<HTMLInputElement>('input[type=radio]');
    if (radio) radio.checked = true;
    this.#changed();
  }

  /** What NasCast does to a library file on the chosen device, and why (the hub's `explain`); undefined with no device. */
  async decision(media: string, fields: { audio?: string; subtitles?: string } = {}): Promise<{ mode: string; reasons: string[] } | undefined> {
    const device = this.chosen;
    if (!this.#hub || !device) return undefined;
    const answer = (await this.#hub.request('explain', { media, device: device.id, ...fields })) as { decisions?: Array<{ mode: string; reasons: string[] }> } | undefined;
    return answer?.decisions?.[0];
  }

  /**
   * Casts a media id or a folder's path (a queue) to the chosen device. Without
   * `startAt` it resumes where it was left; rejects with the reason in words.
   */
  async play(media: string, fields: { startAt?: number; subtitles?: string; audio?: string } = {}): Promise<void> {
    const device = this.chosen;
    if (!this.#hub || !device) throw new Error('Pick a device to cast to first.');
    try {
      await this.#hub.request('play', { device: device.id, media, ...fields }, 60_000);
    } catch (error) {
      throw new Error(this.explain(error, device.id));
    }
  }

  /** The hub's codes, said in words a person can act on. */
  explain(error: unknown, device?: string): string {
    if (!(error instanceof ControlError)) return errorMessage(error);
    const name = (device && this.#cards.get(device)?.device.name) ?? device ?? 'The device';
    switch (error.code) {
      case 'DEVICE_OFFLINE':
        return `${name} is offline: is it switched on and on this network? (${error.message})`;
      case 'LOAD_FAILED':
        return `The media failed to load on ${name}: ${error.message}`;
      case 'UNKNOWN_DEVICE':
        return `${name} is not known any more: ${error.message}`;
      case 'UNKNOWN_MEDIA':
        return `That is no longer in the library: ${error.message}`;
      default:
        return error.message;
    }
  }

  /** Reads the list of devices again (the hub tells about devices on request). */
  async refresh(): Promise<void> {
    const hub = this.#hub;
    if (!hub) return;
    let devices: Device[];
    try {
      devices = ((await hub.request('devices'))?.devices as Device[] | undefined) ?? [];
    } catch {
      return; // offline: the link badge says so
    }
    $('#no-devices').textContent = devices.length ? '' : 'No devices yet: Chromecasts on this network appear here as they are found.';
    for (const device of devices) {
      let card = this.#cards.get(device.id);
      if (!card) {
        card = { root: this.#makeCard(device), device, at: 0 };
        this.#cards.set(device.id, card);
        $('#device-list').append(card.root);
        hub.follow(device.id);
      }
      card.device = device;
      card.root.classList.toggle('offline', !device.online);
      card.root.querySelector('.device-kind')!.textContent = `${device.kind}${device.online ? '' : ', offline'}`;
    }
    for (const [id, card] of this.#cards) {
      if (devices.some((device) => device.id === id)) continue;
      card.root.remove();
      this.#cards.delete(id);
    }
    if (!this.chosen && devices.length === 1) this.choose(devices[0]!.id);
    else this.#changed();
  }

  status(device: string, status: ControlStatus): void {
    const card = this.#cards.get(device);
    if (!card) return;
    card.status = status;
    card.at = Date.now();
    const root = card.root;
    root.querySelector('.now-title')!.textContent = status.media?.title ?? (status.state === 'IDLE' ? 'Nothing playing' : (status.media?.url ?? ''));
    root.querySelector('.now-state')!.textContent = status.error ? `${status.state}: ${status.error}` : status.state;
    root.querySelector<HTMLButtonElement>('[data-action=mute]')!.textContent = status.muted ? 'Unmute' : 'Mute';
    root.querySelector<HTMLButtonElement>('[data-action=toggle]')!.textContent = status.state === 'PLAYING' || status.state === 'BUFFERING' ? 'Pause' : 'Play';
    const volume = root.querySelector<HTMLInputElement>('.volume')!;
    if (document.activeElement !== volume) volume.value = String(Math.round(status.volume * 100));
    if (status.state === 'ERROR' && status.error) show(`${card.device.name}: ${status.error}`);
    renderPosition(card);
  }

  /** Moves the positions of what plays between status messages. */
  tick(): void {
    for (const card of this.#cards.values()) if (card.status?.state === 'PLAYING') renderPosition(card);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #makeCard(device: Device): HTMLElement {
    const root = $<HTMLTemplateElement>('#device-template').content.firstElementChild!.cloneNode(true) as HTMLElement;
    root.dataset.device = device.id;
    root.querySelector('.device-name')!.textContent = device.name;
    root.querySelector('input[type=radio]')!.addEventListener('change', () => this.choose(device.id));
    const command = (type: string, fields: Record<string, unknown> = {}): void => {
      this.#hub?.request(type, { device: device.id, ...fields }).then(clearMessage, (error: unknown) => show(this.explain(error, device.id)));
    };
    root.querySelector('.controls')!.addEventListener('click', (event) => {
      const action = (event.target as HTMLElement).closest('button')?.dataset.action;
      const status = this.#cards.get(device.id)?.status;
      if (action === 'toggle') command(status?.state === 'PLAYING' ? 'pause' : 'resume');
      else if (action === 'mute') command('mute', { muted: !status?.muted });
      else if (action) command(action);
    });
    const seek = root.querySelector<HTMLInputElement>('.seek')!;
    seek.addEventListener('change', () => command('seek', { position: Number(seek.value) }));
    const volume = root.querySelector<HTMLInputElement>('.volume')!;
    volume.addEventListener('change', () => command('volume', { level: Number(volume.value) / 100 }));
    return root;
  }
}

function renderPosition(card: Card): void {
  const status = card.status;
  if (!status) return;
  const position = positionNow(status, card.at);
  const seek = card.root.querySelector<HTMLInputElement>('.seek')!;
  seek.max = String(Math.ceil(status.duration ?? Math.max(position, 1)));
  if (document.activeElement !== seek) seek.value = String(Math.floor(position));
  card.root.querySelector('.time')!.textContent = formatTime(position);
  card.root.querySelector('.duration')!.textContent = formatTime(status.duration);
}
