export { ControlClient, type ControlClientEvents, type ControlClientOptions, type PlayRequest } from './client.ts';
export { ControlError, type ControlErrorReason } from './errors.ts';
export { ControlHub, type ControlHandler, type ControlHubEvents, type ControlHubOptions, type HandledRequest } from './hub.ts';
export { mountControl, type MountedControl } from './mount.ts';
export { BrowserTargets } from './browser-targets.ts';
export { PlayerHandler, type DeviceSummary, type MediaSource, type PlayerDirectory } from './player-handler.ts';
export { ReceiverPlayer } from './receiver-player.ts';
export { ReceiverTokens } from './receiver-tokens.ts';
export { CLOSE_CODES, CONTROL_ERROR_CODES, PLAYBACK_STATES, PROTOCOL_VERSION, type ControlErrorCode, type ControlStatus } from './protocol.ts';
