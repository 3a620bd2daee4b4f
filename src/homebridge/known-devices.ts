import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceSummary, Logger } from '../api.ts';
import { errorMessage } from '../api.ts';

/** What the platform remembers of a device between starts. */
export interface KnownDevice {
  readonly id: string;
  readonly name: string;
  readonly kind: DeviceSummary['kind'];
  /** When discovery (or the receiver page) last reported it, ms since the epoch. */
  readonly lastSeen: number;
  /** The name given in the Home app. */
  readonly configuredName?: string;
  /** The input (its identifier) played last, which `Active` on resumes. */
  readonly lastInput?: number;
  /** Input names hidden in the Home app. */
  readonly hiddenInputs?: readonly string[];
}

/** `lastSeen` only matters in hours (devices age out after a day or more). */
const SEEN_RESOLUTION_MS = 60_000;

interface StoredFile {
  readonly version: 1;
  readonly devices: readonly KnownDevice[];
}

/**
 * The devices the platform has published, kept in a JSON file in Homebridge's storage
 * folder. Televisions are external accessories, which Homebridge does not cache, so
 * this is what lets a TV that is off at start appear (as "Not Responding") instead of
 * vanishing from the Home app, and what ages devices out. Writes are atomic (a temporary
 * file, then rename) and one at a time, so a crash never leaves half a file.
 */
export class KnownDevices {
  readonly #file: string;
  readonly #logger: Logger;
  readonly #devices = new Map<string, KnownDevice>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, logger: Logger) {
    this.#file = file;
    this.#logger = logger;
  }

  /** Reads the file; a missing one is an empty list, an unreadable one is set aside as `<file>.bad` with a warning. */
  static async load(file: string, logger: Logger): Promise<KnownDevices> {
    const known = new KnownDevices(file, logger);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`cannot read ${file} (${errorMessage(error)}); starting with no known devices`);
      return known;
    }
    try {
      const stored = JSON.parse(text) as Partial<StoredFile>;
      for (const device of stored.devices ?? []) {
        if (typeof device.id === 'string' && typeof device.name === 'string' && typeof device.lastSeen === 'number') known.#devices.set(device.id, device);
      }
    } catch (error) {
      logger.warn(`${file} is not valid JSON (${errorMessage(error)}); kept as ${path.basename(file)}.bad, starting with no known devices`);
      await rename(file, `${file}.bad`).catch(() => {});
    }
    return known;
  }

  list(): KnownDevice[] {
    return [...this.#devices.values()];
  }

  get(id: string): KnownDevice | undefined {
    return this.#devices.get(id);
  }

  /**
   * Records that a device was seen now (adding it if new). Discovery reports a device on
   * every status change; the file is rewritten at most once a minute per device for that.
   */
  seen(device: Pick<KnownDevice, 'id' | 'name' | 'kind'>, now = Date.now()): KnownDevice {
    const known = this.#devices.get(device.id);
    if (known && known.name === device.name && known.kind === device.kind && now - known.lastSeen < SEEN_RESOLUTION_MS) return known;
    return this.update(device.id, { name: device.name, kind: device.kind, lastSeen: now }, device);
  }

  /** Changes what is remembered of a device and saves. */
  update(id: string, patch: Partial<Omit<KnownDevice, 'id'>>, fallback?: Pick<KnownDevice, 'name' | 'kind'>): KnownDevice {
    const current = this.#devices.get(id) ?? { id, name: fallback?.name ?? id, kind: fallback?.kind ?? 'chromecast', lastSeen: Date.now() };
    const next: KnownDevice = { ...current, ...patch, id };
    this.#devices.set(id, next);
    this.#save();
    return next;
  }

  /** Removes the devices not seen since `before` (ms since the epoch) and returns them. */
  forget(before: number): KnownDevice[] {
    const gone = this.list().filter((device) => device.lastSeen < before);
    for (const device of gone) this.#devices.delete(device.id);
    if (gone.length > 0) this.#save();
    return gone;
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.#writing;
  }

  #save(): void {
    const snapshot: StoredFile = { version: 1, devices: this.list() };
    this.#writing = this.#writing.then(() => this.#write(snapshot));
  }

  async #write(snapshot: StoredFile): Promise<void> {
    const temporary = `${this.#file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(this.#file), { recursive: true, mode: 0o700 });
      await writeFile(temporary, `${JSON.stringify(snapshot, undefined, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.#file);
    } catch (error) {
      this.#logger.warn(`cannot save ${this.#file}: ${errorMessage(error)}`);
      await rm(temporary, { force: true }).catch(() => {});
    }
  }
}
