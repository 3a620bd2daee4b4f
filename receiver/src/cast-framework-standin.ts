// A stand-in for the Cast Web Receiver SDK (`cast.framework`, CAF v3), injected by the
// NasCast simulator before the receiver page's own scripts run, so that the page takes
// the code path it takes on a Chromecast. The receiver page never loads these files.
//
// It is held to Google's SDK, and typed by @types/chromecast-caf-receiver member by
// member: CastReceiverContext (custom namespaces, which must be declared before start,
// system events), and a PlayerManager that owns the media namespace the platform adds
// for every app (caf-standin-player.ts, caf-standin-session.ts). Messages cross to the
// simulator through functions it exposes with Playwright (`__nascastCastSend`,
// `__nascastCastReady`) and come in through `__nascastCastDeliver` and
// `__nascastSystemVolume`, which this file defines.
//
// The simulator joins the parts' sources into one init script (see
// src/simulator/receiver-browser.ts): each part is one function that uses nothing from
// outside its own body, and gets the others as arguments.
import type { framework } from 'chromecast-caf-receiver';
import type { createCafMessages } from './caf-standin-messages.ts';
import type { createPlayerManager } from './caf-standin-player.ts';
import type { createMediaSession } from './caf-standin-session.ts';

/** The other parts of the stand-in, as the simulator passes them. */
export interface StandInParts {
  createCafMessages: typeof createCafMessages;
  createPlayerManager: typeof createPlayerManager;
  createMediaSession: typeof createMediaSession;
}

interface SimulatorBridge {
  __nascastCastSend?(namespace: string, senderId: string | undefined, data: unknown): Promise<void>;
  __nascastCastReady?(namespaces: string[]): Promise<void>;
  __nascastCastDeliver?(namespace: string, senderId: string, data: unknown): void;
  __nascastSystemVolume?(level: number, muted: boolean): void;
}

type StandInContext = Pick<
  framework.CastReceiverContext,
  'addCustomMessageListener' | 'removeCustomMessageListener' | 'sendCustomMessage' | 'addEventListener' | 'removeEventListener' | 'getSenders' | 'isSystemReady' | 'setInactivityTimeout' | 'stop' | 'canDisplayType'
> & { getPlayerManager(): ReturnType<typeof createPlayerManager>['manager']; start(options?: framework.CastReceiverOptions): StandInContext };

/**
 * Installs `globalThis.cast.framework`; run by the simulator as an init script.
 * `displayable`: what `canDisplayType` answers, by `mime` or `mime; codecs="…"`, as the
 * simulated model decodes (an unknown type: no).
 */
export function installCastFrameworkStandIn(parts: StandInParts, displayable: Readonly<Record<string, boolean>> = {}): void {
  const MEDIA = 'urn:x-cast:com.google.cast.media';
  const bridge = globalThis as typeof globalThis & SimulatorBridge;
  const caf = parts.createCafMessages();
  const listeners = new Map<string, Array<(event: { type: 'message'; senderId: string; data: unknown }) => void>>();
  const systemListeners = new Map<string, Array<(event: { type: string; data?: unknown }) => void>>();
  /** Declared custom namespaces → their message type (`json` or `string`), fixed by start(). */
  const declared = new Map<string, framework.system.MessageType>();
  const senders = new Set<string>();
  let started = false;

  const element = (): HTMLVideoElement => {
    const found = document.querySelector<HTMLVideoElement>('video.castMediaElement');
    if (!found) throw new Error('the page has no video.castMediaElement');
    return found;
  };
  const player = parts.createPlayerManager(caf, element, (senderId, data) => void bridge.__nascastCastSend?.(MEDIA, senderId, data), parts.createMediaSession);

  const context: StandInContext = {
    canDisplayType(mimeType, codecs) {
      return displayable[codecs === undefined ? mimeType : `${mimeType}; codecs="${codecs}"`] ?? false;
    },
    addCustomMessageListener(namespace, listener) {
      // Before start() a listener declares its namespace, as Google's samples rely on; after it, only declared ones are supported.
      if (started && !declared.has(namespace)) throw new Error(`namespace ${namespace} is not supported by this application: declare it in CastReceiverOptions.customNamespaces`);
      listeners.set(namespace, [...(listeners.get(namespace) ?? []), listener]);
    },
    removeCustomMessageListener(namespace, listener) {
      listeners.set(namespace, (listeners.get(namespace) ?? []).filter((known) => known !== (listener as unknown)));
    },
    sendCustomMessage(namespace, senderId, message) {
      const type = declared.get(namespace);
      if (!started || type === undefined) throw new Error(`cannot send on ${namespace}: the system is not started or the namespace is not declared`);
      if (type === caf.system.MessageType.STRING && typeof message !== 'string') throw new Error(`${namespace} carries strings`);
      void bridge.__nascastCastSend?.(namespace, senderId, message);
    },
    addEventListener(type, handler) {
      for (const one of Array.isArray(type) ? type : [type]) systemListeners.set(one, [...(systemListeners.get(one) ?? []), handler as (event: { type: string; data?: unknown }) => void]);
    },
    removeEventListener(type, handler) {
      systemListeners.set(type, (systemListeners.get(type) ?? []).filter((known) => known !== (handler as unknown)));
    },
    getSenders: () => [...senders].map((id) => ({ id, userAgent: '' })),
    isSystemReady: () => started,
    // The platform's heartbeat is the simulator's; the value is only checked.
    setInactivityTimeout(maxInactivity) {
      if (!(maxInactivity >= 5)) throw new Error('maxInactivity is at least 5 seconds');
    },
    stop() {
      started = false;
    },
    getPlayerManager: () => player.manager,
    start(options) {
      if (started) return context;
      if (options?.maxInactivity !== undefined) context.setInactivityTimeout(options.maxInactivity);
      const custom = (options?.customNamespaces ?? {}) as Record<string, framework.system.MessageType>;
      for (const [namespace, type] of Object.entries(custom)) declared.set(namespace, type);
      for (const namespace of listeners.keys()) if (!declared.has(namespace)) declared.set(namespace, caf.system.MessageType.JSON);
      started = true;
      void bridge.__nascastCastReady?.([...declared.keys(), MEDIA]);
      return context;
    },
  };

  // The platform routes only the media namespace and the declared ones; anything else never reaches the page.
  bridge.__nascastCastDeliver = (namespace, senderId, data) => {
    if (!started) return;
    senders.add(senderId);
    if (namespace === MEDIA) return void player.receive(senderId, data);
    const type = declared.get(namespace);
    if (type === undefined) return;
    const payload = type === caf.system.MessageType.STRING && typeof data !== 'string' ? JSON.stringify(data) : data;
    for (const listener of listeners.get(namespace) ?? []) listener({ type: 'message', senderId, data: payload });
  };
  bridge.__nascastSystemVolume = (level, muted) => {
    const type = caf.system.EventType.SYSTEM_VOLUME_CHANGED;
    for (const listener of systemListeners.get(type) ?? []) listener({ type, data: { level, muted } });
  };

  class StandInReceiverOptions implements Partial<framework.CastReceiverOptions> {
    customNamespaces: Record<string, framework.system.MessageType> = {};
    maxInactivity?: number;
    statusText?: string;
  }
  // A subset of the SDK: each member above is checked against Google's declarations, the whole cannot be.
  const framework = { CastReceiverContext: { getInstance: () => context }, CastReceiverOptions: StandInReceiverOptions, ...caf };
  (globalThis as unknown as { cast: unknown }).cast = { framework };
}
