export { CastSession, type CastSessionEvents, type CastSessionOptions, type CastSessionState } from './session.ts';
export { DefaultMediaPlayer } from './default-media-player.ts';
export { openReceiver, type OpenedReceiver, type ReceiverHandover } from './open-player.ts';
export type { CastMedia, CastMetadata, LoadOptions, LoadResult, MediaPlayer, PlaybackControls, PlaybackState, Player, PlayerEvents, PlayerStatus } from './player.ts';
export { DEFAULT_PHOTO_SECONDS } from './player.ts';
export { DEFAULT_MEDIA_RECEIVER, NS as CAST_NAMESPACES } from './namespaces.ts';
export type { ReceiverApplication, ReceiverStatus } from './receiver-types.ts';
