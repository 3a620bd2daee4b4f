import { Application, DefaultMediaReceiver, JsonController, type Client, type Controller, type MediaController } from 'castv2-client';
import { DEFAULT_MEDIA_RECEIVER, NS } from './namespaces.ts';
import type { ReceiverApplication } from './receiver-types.ts';

type Json = Record<string, unknown>;

/** What a {@link JoinedApp} tells its session. */
export interface JoinedAppEvents {
  /** A MEDIA_STATUS entry from the Default Media Receiver. */
  mediaStatus(status: Json): void;
  /** A message from the app on one of its custom namespaces. */
  appMessage(namespace: string, data: Json): void;
  /** The device closed the app's transport (the app stopped, or another sender took it). */
  closed(): void;
}

/**
 * One app running on a device that a session has joined: its transport, the Default
 * Media Receiver's media channel or the app's custom-namespace channels, and leaving
 * it without stopping it.
 */
export class JoinedApp {
  readonly info: ReceiverApplication;
  readonly #app: Application;
  readonly #custom = new Map<string, Controller>();
  readonly #onClose: () => void;

  constructor(client: Client, info: ReceiverApplication, events: JoinedAppEvents) {
    this.info = info;
    const app = info.appId === DEFAULT_MEDIA_RECEIVER ? new DefaultMediaReceiver(client.client, info) : new Application(client.client, info);
    this.#app = app;
    if (app instanceof DefaultMediaReceiver) app.on('status', (status: Json) => events.mediaStatus(status));
    for (const { name } of info.namespaces ?? []) {
      if (name === NS.media || !name.startsWith('urn:x-cast:') || name.startsWith('urn:x-cast:com.google.')) continue;
      const controller = app.createController(JsonController, name);
      controller.on('message', (data: Json) => events.appMessage(name, data));
      this.#custom.set(name, controller);
    }
    this.#onClose = () => {
      this.#closeControllers();
      events.closed();
    };
    app.on('close', this.#onClose);
  }

  /** The Default Media Receiver's media channel; undefined for other apps. */
  get media(): MediaController | undefined {
    return this.#app instanceof DefaultMediaReceiver ? this.#app.media : undefined;
  }

  /** The channel of one of the app's custom namespaces, if it has it. */
  channel(namespace: string): Controller | undefined {
    return this.#custom.get(namespace);
  }

  /** Leaves the app (it keeps running on the device) and closes its channels. */
  leave(): void {
    // Only our listener: castv2-client's own 'close' listener closes the app's connection channel.
    this.#app.off('close', this.#onClose);
    this.#closeControllers();
    try {
      this.#app.close();
    } catch {
      // its socket is already gone: nothing to tell the device
    }
  }

  /**
   * Closes the app's media and custom-namespace channels. castv2-client never closes a
   * DefaultMediaReceiver's media controller, and each open channel keeps a 'message'
   * listener on the connection: without this, every launch leaked one (found by
   * `npm run bench`'s Homebridge rounds: MaxListenersExceededWarning after ten).
   * The media controller's own 'close' listener is dropped first: it sends a media STOP
   * (and throws when it never saw a media session), and leaving must not stop playback.
   */
  #closeControllers(): void {
    const media = this.media;
    if (media) {
      media.removeAllListeners('close');
      media.close();
    }
    for (const controller of this.#custom.values()) controller.close();
    this.#custom.clear();
  }
}
