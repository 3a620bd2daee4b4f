import { HomebridgePluginUiServer, RequestError } from '@homebridge/plugin-ui-utils';
import { SettingsBackend, SettingsRequestError } from './settings-backend.ts';
import { errorMessage } from '../api.ts';

/**
 * The server script of the plugin's settings page, which the Homebridge UI runs as a
 * child process and talks to over IPC (`homebridge-ui/server.js` starts it). Each
 * route answers from the running plugin through {@link SettingsBackend}; a failure is
 * a `RequestError` whose message the page shows.
 */
export class NasCastUiServer extends HomebridgePluginUiServer {
  readonly #backend: SettingsBackend;

  constructor() {
    super();
    this.#backend = new SettingsBackend({ storagePath: this.homebridgeStoragePath ?? '', configPath: this.homebridgeConfigPath ?? '' });
    this.onRequest('/state', () => this.#backend.state());
    this.onRequest('/devices', () => this.#answer(() => this.#backend.devices()));
    this.onRequest('/library', (body: { path?: unknown }) => this.#answer(() => this.#backend.library(typeof body.path === 'string' ? body.path : '')));
    this.onRequest('/test-cast', (body: { device?: unknown; media?: unknown; url?: unknown }) => this.#answer(() => this.#backend.testCast(body)));
    process.once('SIGTERM', () => {
      this.#backend.close();
      process.exit(0);
    });
    this.ready();
  }

  async #answer<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const message = errorMessage(error);
      const code = error instanceof SettingsRequestError ? 'SETTINGS' : ((error as { code?: unknown }).code ?? 'FAILED');
      throw new RequestError(message, { code });
    }
  }
}
