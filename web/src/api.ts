// What the page reads from NasCast's JSON API (src/http/*-route.ts answers these), and
// the one way it asks: with the token, a refused token sending the page back to the login.

export interface Folder {
  name: string;
  path: string;
  count: number;
  available: boolean;
}

export interface Watched {
  position: number;
  finished: boolean;
  playedAt: string;
}

export interface Item {
  id: string;
  /** The file name (the details show it; the title is what cards show). */
  name: string;
  title: string;
  kind: 'video' | 'audio' | 'image';
  mime: string;
  size: number;
  modified: string;
  url: string;
  subtitles: { lang: string; url: string }[];
  /** A signed URL of a 320 px JPEG (`size=small`); 404 when the item has none. */
  artwork: string;
  duration?: number;
  problem?: string;
  watched?: Watched;
  series?: string;
  season?: number;
  episode?: number;
  episodeEnd?: number;
  airDate?: string;
  year?: number;
  track?: number;
  disc?: number;
  artist?: string;
  album?: string;
}

export interface Listing {
  path: string;
  parent: string | null;
  folders: Folder[];
  items: Item[];
}

export interface VideoTrack {
  index: number;
  codec: string;
  profile?: string;
  width?: number;
  height?: number;
  bitDepth?: number;
  hdr?: string;
  frameRate?: number;
}

export interface AudioTrack {
  index: number;
  codec: string;
  channels?: number;
  layout?: string;
  language?: string;
  title?: string;
  default: boolean;
}

export interface EmbeddedSubtitle {
  index: number;
  codec: string;
  language?: string;
  title?: string;
  forced: boolean;
  default: boolean;
  text: boolean;
}

/** `GET /api/item`: the entry, and what probing found (`null` until probed). */
export interface ItemDetails extends Item {
  media: null | {
    container?: string;
    bitrate?: number;
    video: VideoTrack[];
    audio: AudioTrack[];
    subtitles: EmbeddedSubtitle[];
    tags: { genre?: string; albumArtist?: string };
    photo?: { width?: number; height?: number; taken?: string };
  };
}

export interface LibraryStatus {
  media: number;
  scanning: boolean;
  probing: null | { files: number; probed: number; failed: number; running: boolean; available: boolean };
}

/** A request NasCast turned down; `status` 401 has already sent the page to the login. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class Api {
  readonly #refused: () => void;
  #token = '';

  /** `refused` runs when NasCast turns the token down (401). */
  constructor(refused: () => void) {
    this.#refused = refused;
  }

  /** The token to send from now on. */
  use(token: string): void {
    this.#token = token;
  }

  /** GETs `/api/<path>` with the token; rejects with an {@link ApiError} in words. */
  async get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
    const response = await fetch(`/api/${path}${search ? `?${search}` : ''}`, { headers: { authorization: `Bearer ${this.#token}` } });
    if (response.status === 401) {
      this.#refused();
      throw new ApiError(401, 'The token was refused: log in again.');
    }
    if (!response.ok) throw new ApiError(response.status, `NasCast answered ${response.status}: ${(await response.text()) || response.statusText}`);
    return (await response.json()) as T;
  }
}
