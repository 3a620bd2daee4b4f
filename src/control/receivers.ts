import { randomBytes } from 'node:crypto';
import { CLOSE_CODES, type HelloMessage } from '../protocol/index.ts';
import { tokensMatch } from '../signing.ts';
import type { ReceiverTokens } from './receiver-tokens.ts';
import type { Peer } from './sockets.ts';

/**
 * How receivers that name themselves (a `hello` with a `name` and no `device`: browser
 * targets) are keyed. The players side decides; without it such receivers are refused.
 */
export interface SelfNamedReceivers {
  /** The device key for a receiver that calls itself `name`. */
  keyFor(name: string): string;
  /** Whether a device key is one of theirs: a receiver token scoped `*` may register only these. */
  owns(device: string): boolean;
}

/** Who may register receivers, and how many. */
export interface ReceiversOptions {
  token: string;
  receiverTokens: ReceiverTokens;
  selfNamed: SelfNamedReceivers | undefined;
  /** Receivers connected at once, in all. */
  maxReceivers: number;
  /** Receivers connected at once with one receiver token (the one `serve` prints, say). */
  maxPerToken: number;
  /** A receiver's token expired: its session ends. */
  onExpired(peer: Peer): void;
}

/** A receiver page connected for a device. */
export interface ConnectedReceiver {
  readonly device: string;
  readonly name: string | undefined;
  /** The MIME types with codecs it said it plays; absent when it did not say. */
  readonly supports?: readonly string[];
}

interface LiveReceiver {
  readonly peer: Peer;
  readonly name: string | undefined;
  /** What it said it plays (`hello.supports`); undefined when it did not say. */
  readonly supports: readonly string[] | undefined;
  /** Proves a reconnect of the same screen; given in its first `welcome`. */
  readonly secret: string;
  /** The receiver token it registered with; undefined for the install's token. */
  readonly token: string | undefined;
  readonly expiresAt: number;
  readonly timer: NodeJS.Timeout | undefined;
}

/** The outcome of a receiver's `hello`: its device and secret, or the close code and reason that refuse it. */
export type Admission = { ok: true; device: string; secret: string; replaced: Peer | undefined } | { ok: false; code: number; reason: string };

/**
 * The receiver pages connected, one per device: who may speak for which device, the
 * limits on how many, each one's session ending with its token, and the rule that a
 * live receiver is never displaced by another socket unless it proves to be the same
 * screen (the secret it was given at registration).
 */
export class Receivers {
  readonly #options: ReceiversOptions;
  readonly #live = new Map<string, LiveReceiver>();

  constructor(options: ReceiversOptions) {
    this.#options = options;
  }

  /** The devices with a receiver connected, the names they gave and what they said they play. */
  list(): ConnectedReceiver[] {
    return [...this.#live].map(([device, receiver]) => ({ device, name: receiver.name, ...(receiver.supports && { supports: receiver.supports }) }));
  }

  /** The socket of a device's receiver. */
  peer(device: string): Peer | undefined {
    return this.#live.get(device)?.peer;
  }

  /** Whether the device is one whose receiver names itself (a browser target), which ends with its page. */
  selfNamed(device: string): boolean {
    return this.#options.selfNamed?.owns(device) ?? false;
  }

  /** Whether a receiver's session has outlived its token (its messages are no longer taken). */
  expired(peer: Peer, now = Date.now()): boolean {
    const receiver = peer.device === undefined ? undefined : this.#live.get(peer.device);
    return receiver?.peer === peer && now >= receiver.expiresAt;
  }

  admit(peer: Peer, hello: HelloMessage, now = Date.now()): Admission {
    const grant = this.#authorise(hello, now);
    if (!grant) return { ok: false, code: CLOSE_CODES.unauthorized, reason: 'wrong or expired token' };
    const { device, token, expiresAt } = grant;
    const previous = this.#live.get(device);
    const sameScreen = previous !== undefined && hello.secret !== undefined && tokensMatch(hello.secret, previous.secret);
    if (previous && !sameScreen) return { ok: false, code: CLOSE_CODES.receiverTaken, reason: `a receiver is already connected for ${device}` };
    const name = hello.name;
    const nameTaken = name !== undefined && [...this.#live].some(([other, receiver]) => other !== device && receiver.name?.toLowerCase() === name.toLowerCase());
    if (nameTaken) return { ok: false, code: CLOSE_CODES.receiverTaken, reason: `another receiver is called ${name}` };
    const others = [...this.#live.values()].filter((receiver) => receiver !== previous);
    if (others.length >= this.#options.maxReceivers) return { ok: false, code: CLOSE_CODES.tooManyReceivers, reason: 'too many receivers are connected' };
    if (token !== undefined && others.filter((receiver) => receiver.token === token).length >= this.#options.maxPerToken) {
      return { ok: false, code: CLOSE_CODES.tooManyReceivers, reason: 'too many receivers use this token' };
    }
    if (previous) this.#forget(device);
    const secret = previous?.secret ?? randomBytes(18).toString('base64url');
    const timer = Number.isFinite(expiresAt) ? setTimeout(() => this.#options.onExpired(peer), Math.max(0, expiresAt - now)).unref() : undefined;
    this.#live.set(device, { peer, name, supports: hello.supports, secret, token, expiresAt, timer });
    return { ok: true, device, secret, replaced: previous?.peer };
  }

  /** Forgets a receiver whose socket closed; returns its device if it was the live one. */
  remove(peer: Peer): string | undefined {
    const device = peer.device;
    if (device === undefined || this.#live.get(device)?.peer !== peer) return undefined;
    this.#forget(device);
    return device;
  }

  /** Stops every expiry timer. */
  close(): void {
    for (const device of [...this.#live.keys()]) this.#forget(device);
  }

  #forget(device: string): void {
    clearTimeout(this.#live.get(device)?.timer);
    this.#live.delete(device);
  }

  /** The device a receiver's hello may speak for, with the receiver token it used and when that expires. */
  #authorise(hello: HelloMessage, now: number): { device: string; token: string | undefined; expiresAt: number } | undefined {
    // The install's token, or a receiver token for this device (or `*`, a receiver that names itself).
    const selfNamed = this.#options.selfNamed;
    const device = hello.device ?? (hello.name && selfNamed ? selfNamed.keyFor(hello.name) : undefined);
    if (!device) return undefined;
    if (tokensMatch(hello.token, this.#options.token)) return { device, token: undefined, expiresAt: Infinity };
    const verdict = this.#options.receiverTokens.verify(hello.token, now);
    if (!verdict.ok) return undefined;
    if (verdict.scope === device || (verdict.scope === '*' && selfNamed?.owns(device))) return { device, token: hello.token, expiresAt: verdict.expiresAt };
    return undefined;
  }
}
