/**
 * The typed library API of homebridge-nascast: the `NasCast` object and the parts it is
 * made of (the media library, the media server, discovery, Cast sessions, the control
 * channel, the players, the media resolver), with the error hierarchy. The package's
 * entry point (`index.ts`) exports all of this, and its default export registers the
 * Homebridge platform. The faces (`homebridge/`, `cli/`) import only this module.
 *
 * @packageDocumentation
 */
export * from './errors.ts';
export { consoleLogger, escapeForLog, escapingLogger, silentLogger, type Logger } from './logger.ts';
export { formatSize, formatTime, positionNow } from './display.ts';
export { HEAP_GROWTH_FLAGS, limitHeapGrowth } from './heap.ts';
export { defaultStorageDir, generateToken, loadSecrets, saveSecrets, SECRETS_FILE, type Secrets } from './secrets.ts';
export { MediaLibrary, type LibraryUpdate, type MediaLibraryEvents, type MediaLibraryOptions } from './library/library.ts';
export { MediaFolder, MediaItem, SubtitleTrack, type MediaRootConfig } from './library/model.ts';
export type { MediaKind, MediaType, SubtitleFormat } from './library/media-types.ts';
export type { AudioStreamInfo, EmbeddedCover, EmbeddedSubtitleInfo, MediaInfo, MediaTags, PhotoInfo, VideoStreamInfo } from './library/media-info.ts';
export { mediaTypeOf } from './library/media-types.ts';
export { naturalCompare } from './library/natural-order.ts';
export { srtToWebVtt } from './library/webvtt.ts';
export { parseMediaName, withTags, type MediaNameOverrides, type MediaNames } from './library/titles.ts';
export { MediaServer, type MediaServerEvents, type MediaServerOptions } from './http/server.ts';
export type { FolderEntry, ItemEntry, LibraryListing } from './http/api-route.ts';
export type { LibraryStatus } from './http/status-route.ts';
export type { HttpErrorCode } from './http/respond.ts';
export { decideRange, type ByteRange, type RangeDecision, type RangeLimits } from './http/range.ts';
export { addressTowards, primaryLanAddress } from './http/lan-address.ts';
export { certificateFingerprint, loadTls, TLS_CERT_FILE, TLS_KEY_FILE, type TlsMaterial, type TlsOptions } from './http/tls.ts';
export * from './media/index.ts';
export * from './cast/index.ts';
export * from './discovery/index.ts';
export { CLOSE_CODES, CONTROL_ERROR_CODES, namesDevice, PLAYBACK_STATES, PROTOCOL_VERSION, type ControlErrorCode, type ControlStatus, type DeviceSummary } from './protocol/index.ts';
export * from './control/index.ts';
export * from './players/index.ts';
export { NasCast, type NasCastEvents, type NasCastOptions } from './nascast.ts';
export { NasCastPlayer, type Playable } from './nascast-player.ts';
