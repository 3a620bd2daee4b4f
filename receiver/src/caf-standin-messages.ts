/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment -- CAF's messages are JSON on the wire; @types declares them as classes, which the stand-in builds as its own classes or plain objects */
// Part of the simulator's stand-in for the Cast Web Receiver SDK: the data classes and
// enums of `cast.framework.messages`, `events` and `system` with Google's values, typed
// by @types/chromecast-caf-receiver. The simulator joins this function's source with
// the other stand-in parts into one init script, so it may use nothing from outside
// its own body (types excepted: they are gone once compiled).
import type { framework } from 'chromecast-caf-receiver';

type MessageClasses = 'RequestData' | 'LoadRequestData' | 'MediaInformation' | 'GenericMediaMetadata' | 'Image' | 'Track' | 'ErrorData';
type MessageEnums = 'MessageType' | 'PlayerState' | 'IdleReason' | 'ErrorType' | 'ErrorReason' | 'StreamType' | 'TrackType' | 'TextTrackType' | 'MetadataType' | 'Command' | 'RepeatMode' | 'ExtendedPlayerState' | 'HlsSegmentFormat' | 'HlsVideoSegmentFormat';

/** What the stand-in offers of the three namespaces; every member as Google declares it. */
export interface CafMessages {
  messages: Pick<typeof framework.messages, MessageClasses | MessageEnums>;
  events: Pick<typeof framework.events, 'DetailedErrorCode'>;
  system: Pick<typeof framework.system, 'EventType' | 'MessageType'>;
}

/** Builds the classes and enums (run inside the receiver page). */
export function createCafMessages(): CafMessages {
  // Every member of each enum, checked against the declared enum's keys.
  const asEnum = <E>(values: { [K in keyof E]: E[K] extends number ? number : string }): E => values as unknown as E;
  const mirror = <E>(keys: ReadonlyArray<keyof E & string>): E => Object.fromEntries(keys.map((key) => [key, key])) as E;

  const MessageType = mirror<typeof framework.messages.MessageType>([
    'CLOUD_STATUS', 'CUSTOM_COMMAND', 'CUSTOM_STATE', 'DISPLAY_STATUS', 'EDIT_AUDIO_TRACKS', 'EDIT_TRACKS_INFO', 'EXECUTE_ACTION_SCRIPT', 'FOCUS_STATE', 'GET_STATUS',
    'LOAD', 'LOAD_BY_ENTITY', 'MEDIA_STATUS', 'PAUSE', 'PLAY', 'PLAY_AGAIN', 'PLAY_STRING', 'PRECACHE', 'PRELOAD', 'QUEUE_CHANGE', 'QUEUE_GET_ITEMS', 'QUEUE_GET_ITEM_IDS',
    'QUEUE_GET_ITEM_RANGE', 'QUEUE_INSERT', 'QUEUE_ITEMS', 'QUEUE_ITEM_IDS', 'QUEUE_LOAD', 'QUEUE_NEXT', 'QUEUE_PREV', 'QUEUE_REMOVE', 'QUEUE_REORDER', 'QUEUE_SHUFFLE',
    'QUEUE_UPDATE', 'REFRESH_CREDENTIALS', 'RESUME_SESSION', 'SEEK', 'SESSION_STATE', 'SET_CREDENTIALS', 'SET_PLAYBACK_RATE', 'SET_VOLUME', 'SHOW_REMOTE_CONTROL_OVERLAY',
    'SKIP_AD', 'STOP', 'STORE_SESSION', 'USER_ACTION',
  ]);
  const ErrorType = mirror<typeof framework.messages.ErrorType>(['ERROR', 'INVALID_PLAYER_STATE', 'INVALID_REQUEST', 'LOAD_CANCELLED', 'LOAD_FAILED']);
  const StreamType = mirror<typeof framework.messages.StreamType>(['BUFFERED', 'LIVE', 'NONE']);
  const MetadataType = asEnum<typeof framework.messages.MetadataType>({ GENERIC: 0, MOVIE: 1, TV_SHOW: 2, MUSIC_TRACK: 3, PHOTO: 4, AUDIOBOOK_CHAPTER: 5 });

  class RequestData implements framework.messages.RequestData {
    requestId = 0;
    type: framework.messages.MessageType;
    mediaSessionId?: number;
    constructor(type: framework.messages.MessageType) {
      this.type = type;
    }
  }
  class MediaInformation implements framework.messages.MediaInformation {
    contentId = '';
    contentType = '';
    streamType = StreamType.BUFFERED;
  }
  class LoadRequestData extends RequestData implements framework.messages.LoadRequestData {
    media: framework.messages.MediaInformation = new MediaInformation();
    constructor() {
      super(MessageType.LOAD);
    }
  }
  class GenericMediaMetadata implements framework.messages.GenericMediaMetadata {
    metadataType = MetadataType.GENERIC;
    images: framework.messages.Image[] = [];
    title?: string;
    subtitle?: string;
  }
  class Image implements framework.messages.Image {
    url: string;
    height?: number;
    width?: number;
    constructor(url: string) {
      this.url = url;
    }
  }
  class Track implements framework.messages.Track {
    trackId: number;
    type: framework.messages.TrackType;
    constructor(trackId: number, type: framework.messages.TrackType) {
      this.trackId = trackId;
      this.type = type;
    }
  }
  class ErrorData implements framework.messages.ErrorData {
    type: framework.messages.ErrorType;
    requestId?: number;
    reason?: framework.messages.ErrorReason;
    detailedErrorCode?: framework.events.DetailedErrorCode;
    constructor(type: framework.messages.ErrorType) {
      this.type = type;
    }
  }

  return {
    messages: {
      MessageType,
      ErrorType,
      StreamType,
      MetadataType,
      PlayerState: mirror<typeof framework.messages.PlayerState>(['BUFFERING', 'IDLE', 'PAUSED', 'PLAYING']),
      IdleReason: mirror<typeof framework.messages.IdleReason>(['CANCELLED', 'ERROR', 'FINISHED', 'INTERRUPTED']),
      ErrorReason: mirror<typeof framework.messages.ErrorReason>([
        'APP_ERROR', 'AUTHENTICATION_EXPIRED', 'CONCURRENT_STREAM_LIMIT', 'CONTENT_ALREADY_PLAYING', 'CONTENT_FILTERED', 'DUPLICATE_REQUEST_ID', 'END_OF_QUEUE', 'GENERIC_LOAD_ERROR',
        'INVALID_COMMAND', 'INVALID_MEDIA_SESSION_ID', 'INVALID_PARAMS', 'INVALID_REQUEST', 'LANGUAGE_NOT_SUPPORTED', 'NOT_AVAILABLE_IN_REGION', 'NOT_SUPPORTED',
        'PARENTAL_CONTROL_RESTRICTED', 'PREMIUM_ACCOUNT_REQUIRED', 'SKIP_LIMIT_REACHED', 'VIDEO_DEVICE_REQUIRED',
      ]),
      TrackType: mirror<typeof framework.messages.TrackType>(['AUDIO', 'TEXT', 'VIDEO']),
      HlsSegmentFormat: asEnum<typeof framework.messages.HlsSegmentFormat>({ AAC: 'aac', AC3: 'ac3', E_AC3: 'e_ac3', FMP4: 'fmp4', MP3: 'mp3', TS: 'ts', TS_AAC: 'ts_aac', TS_HE_AAC: 'ts_he_aac' }),
      HlsVideoSegmentFormat: asEnum<typeof framework.messages.HlsVideoSegmentFormat>({ FMP4: 'fmp4', MPEG2_TS: 'mpeg2_ts' }),
      TextTrackType: mirror<typeof framework.messages.TextTrackType>(['CAPTIONS', 'CHAPTERS', 'DESCRIPTIONS', 'METADATA', 'SUBTITLES']),
      ExtendedPlayerState: mirror<typeof framework.messages.ExtendedPlayerState>(['LOADING']),
      RepeatMode: mirror<typeof framework.messages.RepeatMode>(['REPEAT_ALL', 'REPEAT_ALL_AND_SHUFFLE', 'REPEAT_OFF', 'REPEAT_SINGLE']),
      Command: asEnum<typeof framework.messages.Command>({
        PAUSE: 1, SEEK: 2, STREAM_VOLUME: 4, STREAM_MUTE: 8, QUEUE_NEXT: 64, QUEUE_PREV: 128, QUEUE_SHUFFLE: 256, SKIP_AD: 512, QUEUE_REPEAT_ALL: 1024, QUEUE_REPEAT_ONE: 2048,
        QUEUE_REPEAT: 3072, EDIT_TRACKS: 4096, PLAYBACK_RATE: 8192, ALL_BASIC_MEDIA: 12303, LIKE: 16384, DISLIKE: 32768, FOLLOW: 65536, UNFOLLOW: 131072, STREAM_TRANSFER: 262144,
      }),
      RequestData,
      LoadRequestData,
      MediaInformation,
      GenericMediaMetadata,
      Image,
      Track,
      ErrorData,
    },
    events: {
      DetailedErrorCode: asEnum<typeof framework.events.DetailedErrorCode>({
        MEDIA_UNKNOWN: 100, MEDIA_ABORTED: 101, MEDIA_DECODE: 102, MEDIA_NETWORK: 103, MEDIA_SRC_NOT_SUPPORTED: 104, SOURCE_BUFFER_FAILURE: 110, MEDIAKEYS_UNKNOWN: 200,
        MEDIAKEYS_NETWORK: 201, MEDIAKEYS_UNSUPPORTED: 202, MEDIAKEYS_WEBCRYPTO: 203, NETWORK_UNKNOWN: 300, SEGMENT_NETWORK: 301, HLS_NETWORK_MASTER_PLAYLIST: 311,
        HLS_NETWORK_PLAYLIST: 312, HLS_NETWORK_NO_KEY_RESPONSE: 313, HLS_NETWORK_KEY_LOAD: 314, HLS_NETWORK_INVALID_SEGMENT: 315, HLS_SEGMENT_PARSING: 316, DASH_NETWORK: 321,
        DASH_NO_INIT: 322, SMOOTH_NETWORK: 331, SMOOTH_NO_MEDIA_DATA: 332, MANIFEST_UNKNOWN: 400, HLS_MANIFEST_MASTER: 411, HLS_MANIFEST_PLAYLIST: 412, DASH_MANIFEST_UNKNOWN: 420,
        DASH_MANIFEST_NO_PERIODS: 421, DASH_MANIFEST_NO_MIMETYPE: 422, DASH_INVALID_SEGMENT_INFO: 423, SMOOTH_MANIFEST: 431, SEGMENT_UNKNOWN: 500, TEXT_UNKNOWN: 600, APP: 900,
        BREAK_CLIP_LOADING_ERROR: 901, BREAK_SEEK_INTERCEPTOR_ERROR: 902, IMAGE_ERROR: 903, LOAD_INTERRUPTED: 904, LOAD_FAILED: 905, MEDIA_ERROR_MESSAGE: 906, GENERIC: 999,
      }),
    },
    system: {
      MessageType: asEnum<typeof framework.system.MessageType>({ STRING: 'string', JSON: 'json' }),
      EventType: asEnum<typeof framework.system.EventType>({
        ALLOW_GROUP_CHANGE: 'allowgroupchange', ERROR: 'error', FEEDBACK_STARTED: 'feedbackstarted', GROUP_CAPABILITIES: 'groupcapabilities',
        MAX_VIDEO_RESOLUTION_CHANGED: 'maxvideoresolutionchanged', PROXIMITY_CHANGED: 'proximitychanged', READY: 'ready', SENDER_CONNECTED: 'senderconnected',
        SENDER_DISCONNECTED: 'senderdisconnected', SHUTDOWN: 'shutdown', STANDBY_CHANGED: 'standbychanged', SYSTEM_VOLUME_CHANGED: 'systemvolumechanged',
        VISIBILITY_CHANGED: 'visibilitychanged',
      }),
    },
  };
}
