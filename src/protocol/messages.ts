// The control protocol, written once: every message's shape, its TypeScript type and
// its run-time check. The hub, the ControlClient and the receiver page all import this.
// The codes (version, states, error and close codes) are in codes.ts.
import { PLAYBACK_STATES, PROTOCOL_VERSION } from './codes.ts';
import { array, boolean, integer, number, object, oneOf, optional, string, type Infer, type Schema } from './schema.ts';

const id = string({ max: 64 });
const device = string({ max: 256 });
const seconds = number({ min: 0, max: 1e7 });
const level = number({ min: 0, max: 1 });

/** What a player reports: the `status` message's body. */
export const statusFields = {
  state: oneOf(PLAYBACK_STATES),
  media: optional(object({ url: string({ max: 8192 }), title: optional(string({ min: 0, max: 512 })), contentType: optional(string({ max: 128 })) })),
  position: seconds,
  duration: optional(seconds),
  volume: level,
  muted: boolean(),
  error: optional(string({ max: 1024 })),
};
export const playerStatus = object(statusFields);
export type ControlStatus = Infer<typeof playerStatus>;

const subtitleTrack = object({ lang: string({ max: 35 }), url: string({ max: 8192 }) });

// `secret`: a receiver's proof, on a reconnect, that it is the screen it was (given in
// its first `welcome`); without it a live receiver's device or name cannot be taken.
// `client`: a controller's own id, the same on every socket it opens, under which the
// hub keeps request ids for deduplication (a resend after a reconnect is recognised;
// another controller's equal id is not). Without it, ids are kept per socket.
// `supports`: a receiver's answer to what it plays: the MIME types with codecs (from the
// list in src/media/device-profile.ts) its browser or Cast device says it can play; the
// others on that list it cannot. Decides what is converted for it.
const hello = object({ token: string({ max: 512 }), role: oneOf(['receiver', 'controller'] as const), device: optional(device), name: optional(string({ max: 128 })), client: optional(string({ max: 64 })), secret: optional(string({ max: 64 })), supports: optional(array(string({ max: 128 }), { max: 64 })) });

/** The first message on every socket. */
export const helloMessages = { hello } satisfies Record<string, Schema<unknown>>;

/** Messages a controller (Homebridge, the CLI, the web page) sends, by type. */
export const controllerMessages = {
  hello,
  subscribe: object({ device }),
  unsubscribe: object({ device }),
  devices: object({}),
  list: object({ path: optional(string({ min: 0, max: 4096 })) }),
  /** How much of the library is indexed and probed (`/api/status`). */
  library: object({}),
  /** Library items matching words (titles, file names, series, artists, albums), best first (`/api/search`). */
  search: object({ query: string({ min: 0, max: 200 }), limit: optional(integer({ min: 1, max: 200 })) }),
  /** Items started and not finished, most recent first (`/api/continue`). */
  continue: object({ limit: optional(integer({ min: 1, max: 200 })) }),
  // media: an id, or a library path of a file or folder (as long as file systems allow).
  play: object({ device, media: optional(string({ max: 4096 })), url: optional(string({ max: 8192 })), startAt: optional(seconds), subtitles: optional(string({ max: 35 })), audio: optional(string({ max: 35 })), photoSeconds: optional(number({ min: 1, max: 3600 })) }),
  /** What would be done to a library file on a device (every online one with none named), and why: played as it is, or converted. */
  explain: object({ media: string({ max: 4096 }), device: optional(device), audio: optional(string({ max: 35 })), subtitles: optional(string({ max: 35 })) }),
  pause: object({ device }),
  resume: object({ device }),
  stop: object({ device }),
  next: object({ device }),
  prev: object({ device }),
  quit: object({ device }),
  // `position` from the start, or `by` seconds from where playback is now: one of them.
  seek: object({ device, position: optional(seconds), by: optional(number({ min: -1e7, max: 1e7 })) }),
  volume: object({ device, level }),
  mute: object({ device, muted: boolean() }),
  /** The last status known for a device. */
  status: object({ device }),
  /** A liveness check; answered `ok`. Browsers cannot see WebSocket pings, so clients send this. */
  ping: object({}),
} satisfies Record<string, Schema<unknown>>;

/** Messages a receiver page sends, by type: its status, and replies to commands. */
export const receiverMessages = {
  hello,
  status: object(statusFields),
  ok: object({ result: optional(object({})) }),
  error: object({ code: string({ max: 64 }), message: string({ min: 0, max: 1024 }) }),
  ping: object({}),
} satisfies Record<string, Schema<unknown>>;

type MessagesOf<M extends Record<string, Schema<unknown>>> = { [K in keyof M & string]: { v: 1; type: K; id?: string } & Infer<M[K]> }[keyof M & string];
/** A checked controller message: the envelope plus its type's fields. */
export type ControllerMessage = MessagesOf<typeof controllerMessages>;
/** The requests a controller may make: everything but the handshake. */
export type ControllerRequest = Exclude<ControllerMessage, { type: 'hello' }>;
/** A checked receiver message. */
export type ReceiverMessage = MessagesOf<typeof receiverMessages>;
export type HelloMessage = MessagesOf<typeof helloMessages>;

/** Messages the hub sends to a receiver, by type. A load's `image` is the item's artwork (a URL the page fetches; it may answer 404). */
export const receiverCommands = {
  load: object({ url: string({ max: 8192 }), contentType: string({ max: 128 }), title: optional(string({ min: 0, max: 512 })), kind: optional(oneOf(['video', 'audio', 'image'] as const)), subtitles: optional(array(subtitleTrack, { max: 50 })), subtitle: optional(string({ max: 35 })), startAt: optional(seconds), image: optional(string({ max: 8192 })), hlsSegmentFormat: optional(oneOf(['fmp4'] as const)) }),
  play: object({}),
  pause: object({}),
  seek: object({ position: seconds }),
  stop: object({}),
  volume: object({ level: optional(level), muted: optional(boolean()) }),
  overlay: object({}),
} satisfies Record<string, Schema<unknown>>;
export type ReceiverCommandType = keyof typeof receiverCommands;
export type ReceiverCommand = { [K in ReceiverCommandType]: { type: K } & Infer<(typeof receiverCommands)[K]> }[ReceiverCommandType];

/** Why a frame was refused, and how to answer it. */
export type ParseFailure =
  /** Not JSON: close with 1007. */
  | { kind: 'invalid-json' }
  /** No valid envelope: close with 1008. */
  | { kind: 'bad-envelope'; reason: string }
  /** A type this side does not know: answer `UNKNOWN_TYPE`. */
  | { kind: 'unknown-type'; id: string | undefined; type: string }
  /** Known type, bad fields: answer `BAD_REQUEST` naming the field. */
  | { kind: 'bad-fields'; id: string | undefined; type: string; reason: string };

/**
 * Checks one text frame against a set of message schemas. The envelope (`v: 1`,
 * a string `type`, an optional string `id`) must hold; the fields are then checked
 * against the type's schema and anything not in it is dropped.
 */
export function parseMessage<M extends Record<string, Schema<unknown>>>(
  text: string,
  schemas: M,
): { ok: true; message: MessagesOf<M> } | { ok: false; failure: ParseFailure } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, failure: { kind: 'invalid-json' } };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, failure: { kind: 'bad-envelope', reason: 'a message must be a JSON object' } };
  const record = data as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) return { ok: false, failure: { kind: 'bad-envelope', reason: `v must be ${PROTOCOL_VERSION}` } };
  if (typeof record.type !== 'string' || record.type.length === 0 || record.type.length > 64) return { ok: false, failure: { kind: 'bad-envelope', reason: 'type must be a string' } };
  const checkedId = record.id === undefined ? { ok: true as const, value: undefined } : id.check(record.id, 'id');
  if (!checkedId.ok) return { ok: false, failure: { kind: 'bad-envelope', reason: `id ${checkedId.reason}` } };
  const type = record.type;
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) return { ok: false, failure: { kind: 'unknown-type', id: checkedId.value, type } };
  const fields = schema.check(record, '');
  if (!fields.ok) return { ok: false, failure: { kind: 'bad-fields', id: checkedId.value, type, reason: `${fields.path} ${fields.reason}` } };
  const message = { ...(fields.value as object), v: PROTOCOL_VERSION, type, ...(checkedId.value === undefined ? {} : { id: checkedId.value }) };
  return { ok: true, message: message as never };
}
