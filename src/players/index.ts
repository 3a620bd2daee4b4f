export { BROWSER_TARGET_KEYS, BrowserTargets, isBrowserTarget } from './browser-targets.ts';
export { ChromecastPlayer, type ChromecastPlayerEvents, type ChromecastPlayerOptions, type ReceiverAppLink, type ReceiverKind } from './chromecast-player.ts';
export { Chromecasts, type ChromecastsEvents, type ChromecastsOptions } from './chromecasts.ts';
export { combineDirectories, type DirectoryEvents, type PlayerDirectory } from './directory.ts';
export { mountControl, type MountedControl } from './mount.ts';
export { ReceiverPlayer } from './receiver-player.ts';
export { PlayerHandler, type HandlerMedia } from './request-handler.ts';
export { explain, type DeviceDecision, type ExplainMedia, type Explanation } from './explain.ts';
