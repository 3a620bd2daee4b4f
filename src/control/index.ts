export { ClientPlayer, type RemotePlayable } from './client-player.ts';
export { ControlClient, type ControlClientEvents, type ControlClientOptions, type PlayRequest } from './client.ts';
export { ControlHub, type ControlHandler, type ControlHubEvents, type ControlHubOptions, type HandledRequest, type SelfNamedReceivers } from './hub.ts';
export { ReceiverTokens } from './receiver-tokens.ts';
