/** An app running on a Cast device, as RECEIVER_STATUS lists it. */
export interface ReceiverApplication {
  appId: string;
  displayName?: string;
  sessionId: string;
  transportId: string;
  statusText?: string;
  namespaces?: Array<{ name: string }>;
}

/** A device's RECEIVER_STATUS: running apps and volume. */
export interface ReceiverStatus {
  applications?: ReceiverApplication[];
  volume?: { level?: number; muted?: boolean };
}
