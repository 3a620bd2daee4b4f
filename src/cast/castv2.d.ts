// Types for the parts of castv2 and castv2-client that NasCast uses: neither
// package publishes any. Kept internal: no public NasCast type refers to these.

declare module 'castv2' {
  import type { EventEmitter } from 'node:events';
  import type { Server as TlsServer, TlsOptions } from 'node:tls';

  /** castv2's TLS server: one `message` per Cast packet, `send` by client id. */
  export class Server extends EventEmitter {
    constructor(options: TlsOptions);
    readonly server: TlsServer;
    clients: Record<string, { socket: import('node:tls').TLSSocket } | undefined>;
    listen(port: number, host: string, callback: () => void): void;
    close(): void;
    send(clientId: string, sourceId: string, destinationId: string, namespace: string, data: string | Buffer): void;
    on(event: 'message', listener: (clientId: string, sourceId: string, destinationId: string, namespace: string, data: string | Buffer) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
  }
}

declare module 'castv2-client' {
  import type { EventEmitter } from 'node:events';

  export type Callback<T> = (error: Error | null, result: T) => void;

  export interface Channel extends EventEmitter {
    send(data: unknown): void;
  }

  export interface RawClient extends EventEmitter {
    createChannel(sourceId: string, destinationId: string, namespace: string, encoding: 'JSON' | undefined): Channel;
    close(): void;
  }

  export class Controller extends EventEmitter {
    send(data: unknown): void;
    close(): void;
  }

  export class JsonController extends Controller {}

  export class RequestResponseController extends Controller {
    request(data: Record<string, unknown>, callback: Callback<Record<string, unknown>>): void;
  }

  export class HeartbeatController extends Controller {
    stop(): void;
  }

  // The RECEIVER_STATUS shapes are ours, written once in receiver-types.ts.
  export type ReceiverApplication = import('./receiver-types.ts').ReceiverApplication;
  export type ReceiverStatus = import('./receiver-types.ts').ReceiverStatus;

  export class ReceiverController extends RequestResponseController {}

  export class MediaController extends RequestResponseController {
    currentSession: { mediaSessionId: number } | null;
  }

  export class Application extends EventEmitter {
    constructor(client: RawClient, session: ReceiverApplication);
    session: ReceiverApplication | null;
    client: RawClient | null;
    senderId: string | null;
    receiverId: string | null;
    close(): void;
    createController<T>(controller: new (...args: never[]) => T, ...args: unknown[]): T;
  }

  export class DefaultMediaReceiver extends Application {
    static readonly APP_ID: string;
    media: MediaController;
  }

  export class Client extends EventEmitter {
    client: RawClient;
    receiver: ReceiverController | null;
    heartbeat: HeartbeatController | null;
    connect(options: { host: string; port: number }, callback: () => void): void;
    close(): void;
    getStatus(callback: Callback<ReceiverStatus>): void;
    getAppAvailability(appId: string, callback: Callback<Record<string, boolean>>): void;
    launch<T extends Application>(application: { APP_ID: string } & (new (client: RawClient, session: ReceiverApplication) => T), callback: Callback<T>): void;
    join<T extends Application>(session: ReceiverApplication, application: new (client: RawClient, session: ReceiverApplication) => T, callback: Callback<T>): void;
    stop(application: Application, callback: Callback<ReceiverApplication[]>): void;
    setVolume(volume: { level: number } | { muted: boolean }, callback: Callback<unknown>): void;
  }
}

declare module 'castv2/lib/proto.js' {
  const proto: { CastMessage: { serialize(message: Record<string, unknown>): Uint8Array } };
  export default proto;
}
