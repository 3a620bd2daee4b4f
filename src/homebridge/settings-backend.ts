import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { certificateFingerprint, ConfigError, ControlClient, type DeviceSummary, errorMessage, SECRETS_FILE, TLS_CERT_FILE } from '../api.ts';
import { PLATFORM_NAME } from './platform.ts';

/** What the settings page learns of the running plugin. */
export interface PluginState {
  readonly running: boolean;
  /** The control channel the page's requests go through. */
  readonly url?: string;
  /** Why it is not reachable, in words for the settings page. */
  readonly message?: string;
  /** With HTTPS on: the certificate's SHA-256 fingerprint, for clients to pin. */
  readonly fingerprint?: string;
}

/**
 * A request of the settings page that cannot be answered; its message, shown to the
 * user, says what to set or do (a `ConfigError`: the page is where NasCast is configured).
 */
export class SettingsRequestError extends ConfigError {
  override name = 'SettingsRequestError';
}

/** Where the backend finds Homebridge's files (the UI gives them in its environment). */
export interface SettingsBackendOptions {
  /** Homebridge's storage folder (`HOMEBRIDGE_STORAGE_PATH`). */
  readonly storagePath: string;
  /** Homebridge's config.json (`HOMEBRIDGE_CONFIG_PATH`). */
  readonly configPath: string;
  /** How long to try to reach the plugin. Default 3000 ms. */
  readonly connectTimeoutMs?: number;
}

const DEFAULT_PORT = 8585;

/**
 * The settings page's side in the Homebridge UI: it reaches the running plugin over
 * the plugin's own control channel, with the token from the plugin's secrets file in
 * Homebridge's storage, so the page itself never holds the token. It reads the saved
 * config for the port; it writes nothing.
 */
export class SettingsBackend {
  readonly #options: SettingsBackendOptions;
  #client: ControlClient | undefined;
  #url: string | undefined;
  #fingerprint: string | undefined;

  constructor(options: SettingsBackendOptions) {
    this.#options = options;
  }

  /** Whether the plugin runs and answers. */
  async state(): Promise<PluginState> {
    try {
      await this.#connected();
      return { running: true, url: this.#url!, ...(this.#fingerprint ? { fingerprint: this.#fingerprint } : {}) };
    } catch (error) {
      return { running: false, message: errorMessage(error) };
    }
  }

  /** The devices the plugin has found now. */
  async devices(): Promise<DeviceSummary[]> {
    return (await this.#connected()).devices();
  }

  /** A folder of the library (its subfolders and files), for picking favourites; the top level without a path. */
  async library(folder = ''): Promise<Record<string, unknown>> {
    const listing = await (await this.#connected()).list(folder);
    if (!listing) throw new SettingsRequestError(`no folder '${folder}' in the library`);
    return listing;
  }

  /** Plays a library path (a folder or file) or a URL on a device: the page's "test cast" button. */
  async testCast(request: { device?: unknown; media?: unknown; url?: unknown }): Promise<Record<string, unknown>> {
    if (typeof request.device !== 'string' || request.device === '') throw new SettingsRequestError('choose a device to test');
    const media = typeof request.media === 'string' && request.media !== '' ? request.media : undefined;
    const url = typeof request.url === 'string' && request.url !== '' ? request.url : undefined;
    if ((media === undefined) === (url === undefined)) throw new SettingsRequestError('choose something to play: a library folder or file, or a URL');
    const client = await this.#connected();
    const result = await client.play(request.device, media === undefined ? { url: url! } : { media });
    return result ?? {};
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }

  async #connected(): Promise<ControlClient> {
    if (this.#client?.connected) return this.#client;
    this.close();
    const { port, token, fingerprint } = await this.#plugin();
    // With HTTPS on, the token goes only over wss://, to the certificate the plugin made or was given.
    const url = `${fingerprint ? 'wss' : 'ws'}://127.0.0.1:${port}/control`;
    const client = new ControlClient({ url, token, requestTimeoutMs: 30_000, ...(fingerprint ? { fingerprint } : {}) });
    client.on('error', () => {}); // failures reach the caller through the request that met them
    const timeoutMs = this.#options.connectTimeoutMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new SettingsRequestError(`NasCast does not answer on port ${port}: is Homebridge running with the plugin configured (save the settings and restart)?`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      client.close();
      throw error instanceof SettingsRequestError ? error : new SettingsRequestError(`NasCast refused the settings page: ${errorMessage(error)}`);
    } finally {
      clearTimeout(timer);
    }
    this.#client = client;
    this.#url = url;
    this.#fingerprint = fingerprint;
    return client;
  }

  /** The saved port, the plugin's token, and with HTTPS its certificate's fingerprint. */
  async #plugin(): Promise<{ port: number; token: string; fingerprint: string | undefined }> {
    let config: { platforms?: Array<Record<string, unknown>> };
    try {
      config = JSON.parse(await readFile(this.#options.configPath, 'utf8')) as typeof config;
    } catch (error) {
      throw new SettingsRequestError(`cannot read Homebridge's config (${errorMessage(error)})`);
    }
    const block = config.platforms?.find((platform) => platform.platform === PLATFORM_NAME);
    if (!block) throw new SettingsRequestError('NasCast is not configured yet: add a media folder below and save');
    const port = typeof block.port === 'number' && block.port > 0 ? block.port : DEFAULT_PORT;
    const secretsFile = path.join(this.#options.storagePath, 'nascast', SECRETS_FILE);
    let token: unknown;
    try {
      token = (JSON.parse(await readFile(secretsFile, 'utf8')) as { token?: unknown }).token;
    } catch {
      throw new SettingsRequestError('NasCast has not started yet (it makes its token at first start): save the settings and restart Homebridge');
    }
    if (typeof token !== 'string') throw new SettingsRequestError(`${secretsFile} is damaged: delete it and restart Homebridge`);
    return { port, token, fingerprint: block.https !== false ? await this.#readFingerprint(block) : undefined };
  }

  async #readFingerprint(block: Record<string, unknown>): Promise<string> {
    const certFile = typeof block.certFile === 'string' && block.certFile !== '' ? block.certFile : path.join(this.#options.storagePath, 'nascast', TLS_CERT_FILE);
    try {
      return certificateFingerprint(await readFile(certFile, 'utf8'));
    } catch (error) {
      throw new SettingsRequestError(`cannot read NasCast's certificate ${certFile} (${errorMessage(error)}): save the settings and restart Homebridge`);
    }
  }
}
