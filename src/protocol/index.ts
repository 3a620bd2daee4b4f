/**
 * The control protocol, written once and shared by the server, the receiver page and
 * the web page: message schemas and types, error and close codes, device summaries,
 * and the browser-safe channel with its backoff. Nothing here imports Node modules
 * (a lint rule keeps it so).
 */
export { backoffDelay } from './backoff.ts';
export { ControlChannel, type ChannelState, type ControlChannelOptions, type HelloFields, type WebSocketFactory, type WebSocketLike } from './channel.ts';
export { CLOSE_CODES, CONTROL_ERROR_CODES, PLAYBACK_STATES, PROTOCOL_VERSION, type ControlErrorCode } from './codes.ts';
export { namesDevice, type DeviceSummary } from './devices.ts';
export { positionNow, type ReportedPosition } from './position.ts';
export {
  controllerMessages,
  helloMessages,
  parseMessage,
  playerStatus,
  receiverCommands,
  receiverMessages,
  statusFields,
  type ControllerMessage,
  type ControllerRequest,
  type ControlStatus,
  type HelloMessage,
  type ParseFailure,
  type ReceiverCommand,
  type ReceiverCommandType,
  type ReceiverMessage,
} from './messages.ts';
export { SUPPORT_TYPES, type SupportType } from './supports.ts';
