import { ControlHub, type ControlHubOptions } from '../control/hub.ts';
import { ReceiverTokens } from '../control/receiver-tokens.ts';
import type { MediaServer } from '../http/server.ts';
import type { Logger } from '../logger.ts';
import type { DeviceOverride } from '../media/device-profile.ts';
import type { Secrets } from '../secrets.ts';
import { BROWSER_TARGET_KEYS, BrowserTargets } from './browser-targets.ts';
import type { ReceiverAppLink } from './chromecast-player.ts';
import type { PlayerDirectory } from './directory.ts';
import { PlayerHandler } from './request-handler.ts';
import { StreamFollower } from './stream-follower.ts';

/** The control channel as mounted on a media server. */
export interface MountedControl extends ReceiverAppLink {
  readonly hub: ControlHub;
  readonly receiverTokens: ReceiverTokens;
  readonly browserTargets: BrowserTargets;
  /** `ws://host:port/control`, from the server's public URL (the LAN address devices reach). */
  url(): string;
  /** The receiver page's address for a browser target named `name`, with a token that lets it register (and nothing else). */
  receiverPageUrl(name: string): string;
  /** Closes every control socket; call before stopping the server. */
  close(): Promise<void>;
}

/**
 * Mounts the control hub on the media server's port at `/control`, with browser
 * targets as devices. `directory` adds other devices (Chromecasts, see
 * `Chromecasts` and `combineDirectories`); it gets the targets and the link a
 * receiver app is handed over with.
 */
export function mountControl(
  server: MediaServer,
  options: {
    secrets: Secrets;
    logger?: Logger;
    name?: string;
    directory?: (targets: BrowserTargets, link: ReceiverAppLink) => PlayerDirectory;
    /** What the user says about devices, by name or id (browser targets here; Chromecasts take theirs in `directory`). */
    deviceOverrides?: Readonly<Record<string, DeviceOverride>>;
    /** The audio language played when a file has several and a play does not say. */
    audioLanguage?: string;
  } & Partial<Omit<ControlHubOptions, 'token' | 'receiverTokens' | 'handler' | 'selfNamed'>>,
): MountedControl {
  const { secrets, directory, deviceOverrides, audioLanguage, ...hubOptions } = options;
  const receiverTokens = new ReceiverTokens(secrets.signingKey);
  // The handler needs the targets, which need the hub, which needs the handler: late-bound.
  const late: { handler?: PlayerHandler } = {};
  const hub = new ControlHub({
    ...hubOptions,
    token: secrets.token,
    receiverTokens,
    selfNamed: BROWSER_TARGET_KEYS,
    tokenOverTlsOnly: server.httpsServer !== undefined,
    handler: { handle: (request) => late.handler!.handle(request), deviceKey: (device) => late.handler!.deviceKey(device) },
  });
  const browserTargets = new BrowserTargets(hub, { ...(options.logger ? { logger: options.logger } : {}), ...(deviceOverrides ? { overrides: deviceOverrides } : {}) });
  const url = (): string => `${server.url.replace(/^http/, 'ws')}/control`;
  // Media ids are looked up in the library and signed in media/ directly, not through the server.
  const media = {
    library: server.library,
    castMedia: server.signedMedia.castMedia.bind(server.signedMedia),
    plan: server.signedMedia.plan.bind(server.signedMedia),
    prepare: () => server.streams.conversions.checkFfmpeg(),
    listing: server.listing.bind(server),
    status: server.status.bind(server),
    search: server.search.bind(server),
    continueWatching: server.continueWatching.bind(server),
    ...(audioLanguage ? { audioLanguage } : {}),
  };
  const streams = new StreamFollower(server.streams.conversions);
  hub.on('status', (device, status) => streams.observe(device, status));
  late.handler = new PlayerHandler(media, directory ? directory(browserTargets, { hub, receiverTokens, url }) : browserTargets);
  for (const upgrades of server.upgradeServers) hub.attach(upgrades);
  return {
    hub,
    receiverTokens,
    browserTargets,
    url,
    receiverPageUrl: (name) => `${server.url}/receiver/?name=${encodeURIComponent(name)}&token=${encodeURIComponent(receiverTokens.issue('*'))}`,
    async close() {
      browserTargets.dispose();
      await hub.close();
    },
  };
}
