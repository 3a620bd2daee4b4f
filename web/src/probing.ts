// How far NasCast has got reading the library: a slim bar while it scans or probes
// (read every 2 s until done), and a notice when ffprobe is missing.
import type { Api, LibraryStatus } from './api.ts';
import { $ } from './dom.ts';
import { count } from './format.ts';

const EVERY_MS = 2000;

export class Probing {
  readonly #api: Api;
  readonly #done: () => void;
  #timer: number | undefined;
  #stopped = false;
  #busy = false;

  /** `done` is called when a scan or probing run ends, to show what it found. */
  constructor(api: Api, done: () => void) {
    this.#api = api;
    this.#done = done;
  }

  /** Reads the status now, and again every 2 s while the library is being read. */
  async check(): Promise<void> {
    window.clearTimeout(this.#timer);
    let status: LibraryStatus;
    try {
      status = await this.#api.get<LibraryStatus>('status');
    } catch {
      return; // an older server without /api/status, or logged out
    }
    if (this.#stopped) return;
    const probing = status.probing;
    const busy = status.scanning || probing?.running === true;
    $('#probe-missing').hidden = probing?.available !== false;
    this.#render(status);
    if (this.#busy && !busy) this.#done();
    this.#busy = busy;
    if (busy) this.#timer = window.setTimeout(() => void this.check(), EVERY_MS);
  }

  stop(): void {
    this.#stopped = true;
    window.clearTimeout(this.#timer);
    $('#probing').hidden = true;
    $('#probe-missing').hidden = true;
  }

  #render(status: LibraryStatus): void {
    const box = $('#probing');
    const probing = status.probing;
    const running = probing?.running === true && probing.files > 0;
    box.hidden = !running && !status.scanning;
    if (box.hidden) return;
    const share = running ? probing.probed / probing.files : undefined;
    $('#probing-text').textContent =
      share === undefined
        ? `Scanning the library: ${count(status.media)} files so far`
        : `Reading the library: ${Math.floor(share * 100)} % (${count(probing!.probed)} of ${count(probing!.files)})`;
    const bar = $('#probing-bar');
    bar.classList.toggle('indeterminate', share === undefined);
    bar.style.width = share === undefined ? '' : `${(share * 100).toFixed(1)}%`;
  }
}
