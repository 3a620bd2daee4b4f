// The part of the Cast Web Receiver SDK (CAF v3, `cast.framework`) the receiver uses.
// Written from the SDK reference; Google ships no npm types for the receiver SDK.

export interface CastMessageEvent {
  readonly data: unknown;
  readonly senderId: string;
}

export interface CafLoadRequest {
  media: CafMediaInformation;
  autoplay?: boolean;
  currentTime?: number;
  activeTrackIds?: number[];
}

export interface CafMediaInformation {
  contentId: string;
  contentUrl?: string;
  contentType: string;
  streamType?: string;
  metadata?: { title?: string; metadataType?: number };
  tracks?: CafTrack[];
}

export interface CafTrack {
  trackId: number;
  type: string;
  trackContentId?: string;
  trackContentType?: string;
  subtype?: string;
  language?: string;
  name?: string;
}

export interface CafPlayerManager {
  load(request: CafLoadRequest): Promise<void>;
  play(): void;
  pause(): void;
  stop(): void;
  seek(seconds: number): void;
}

export interface CafReceiverContext {
  addCustomMessageListener(namespace: string, listener: (event: CastMessageEvent) => void): void;
  sendCustomMessage(namespace: string, senderId: string | undefined, data: unknown): void;
  getPlayerManager(): CafPlayerManager;
  start(options?: { customNamespaces?: Record<string, string>; disableIdleTimeout?: boolean; statusText?: string }): unknown;
}

export interface CastFramework {
  CastReceiverContext: { getInstance(): CafReceiverContext };
  messages: {
    LoadRequestData: new () => CafLoadRequest;
    MediaInformation: new () => CafMediaInformation;
    GenericMediaMetadata: new () => { title?: string };
    Track: new (trackId: number, type: string) => CafTrack;
    TrackType: { TEXT: string };
    TextTrackType: { SUBTITLES: string };
    StreamType: { BUFFERED: string };
  };
  system: { MessageType: { JSON: string } };
}

declare global {
  // Present on a Chromecast once the SDK script ran, or injected by the NasCast simulator.
  var cast: { framework: CastFramework } | undefined;
}
