import { LaunchError } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import { DefaultMediaPlayer } from './default-media-player.ts';
import { NS } from './namespaces.ts';
import type { CastSession } from './session.ts';
import type { ReceiverApplication } from './receiver-types.ts';

/** What the receiver app needs to reach the control channel, sent over `urn:x-cast:io.nascast.control` after launch. */
export interface ReceiverHandover {
  /** The control channel's WebSocket URL. */
  url: string;
  /** A receiver-scoped, expiring token. */
  token: string;
  /** The device id the token is scoped to; the page names it in its `hello`. */
  device: string;
  /** The device's volume: the page reports it, and CAF tells it only of changes. */
  volume?: { level: number; muted: boolean } | undefined;
}

/** The receiver that ended up running on the device. */
export type OpenedReceiver =
  | { readonly kind: 'custom'; readonly appId: string; readonly sessionId: string }
  | { readonly kind: 'default'; readonly player: DefaultMediaPlayer; readonly fallbackReason?: string };

/**
 * Launches our receiver app when an app id is given and the device can run it,
 * and hands it the control channel; otherwise (no app id, app unavailable, launch
 * refused) uses the Default Media Receiver and logs why.
 */
export async function openReceiver(
  session: CastSession,
  options: { appId?: string; handover?: ReceiverHandover; logger?: Logger; loadTimeoutMs?: number } = {},
): Promise<OpenedReceiver> {
  const logger = partLogger(options.logger);
  const fallback = (reason?: string): OpenedReceiver => {
    if (reason) logger.warn(`Using the Default Media Receiver on ${session.host}: ${reason}`);
    return { kind: 'default', player: new DefaultMediaPlayer(session, { loadTimeoutMs: options.loadTimeoutMs }), ...(reason ? { fallbackReason: reason } : {}) };
  };
  const { appId } = options;
  if (!appId) return fallback();
  let app: ReceiverApplication;
  try {
    if (!(await session.isAppAvailable(appId))) return fallback(`app ${appId} is not available on this device (GET_APP_AVAILABILITY)`);
    app = await session.launch(appId);
  } catch (error) {
    if (error instanceof LaunchError) return fallback(`launch of ${appId} refused: ${error.reason}`);
    throw error;
  }
  const handover = options.handover;
  if (handover) session.sendToApp(NS.control, { type: 'connect', url: handover.url, token: handover.token, device: handover.device, ...(handover.volume ? { volume: handover.volume } : {}) });
  return { kind: 'custom', appId, sessionId: app.sessionId };
}
