/** Cast namespaces and app ids, shared by the sender side and the simulator. */
export const NS = {
  connection: 'urn:x-cast:com.google.cast.tp.connection',
  heartbeat: 'urn:x-cast:com.google.cast.tp.heartbeat',
  receiver: 'urn:x-cast:com.google.cast.receiver',
  media: 'urn:x-cast:com.google.cast.media',
  /** Our own: the sender hands the receiver app its control-channel URL and token here. */
  control: 'urn:x-cast:io.nascast.control',
} as const;

/** Google's Default Media Receiver. */
export const DEFAULT_MEDIA_RECEIVER = 'CC1AD845';

/** The platform's own endpoint on every device. */
export const PLATFORM_RECEIVER = 'receiver-0';
