// Devices as the protocol names them: the `devices` reply's entries, and how a request's
// `device` field finds one. Browser-safe.

/** A device as `devices` lists it. */
export interface DeviceSummary {
  /** The key requests name it by. */
  id: string;
  name: string;
  kind: 'chromecast' | 'group' | 'browser';
  online: boolean;
}

/** Whether `candidate` is the device a request names: by its id, or its name in any case. */
export function namesDevice(candidate: { readonly id: string; readonly name: string }, device: string): boolean {
  return candidate.id === device || candidate.name.toLowerCase() === device.toLowerCase();
}
