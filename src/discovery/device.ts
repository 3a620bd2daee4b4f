/** A Cast device or group, as discovery reports it. */
export interface CastDevice {
  /** The device's own id (`id` in TXT); for a static host with none, `host:port`. */
  readonly id: string;
  /** Friendly name (`fn`). */
  readonly name: string;
  /** Model (`md`), `Google Cast Group` for groups. */
  readonly model: string;
  /** Address from the mDNS answer (A record, else the packet's source), or the configured host. */
  readonly host: string;
  /** castv2 port from the SRV record: 8009 for devices, another for groups. */
  readonly port: number;
  /** Capability bitmask (`ca`). */
  readonly capabilities: number;
  /** What it is doing (`rs`), empty when idle. */
  readonly status: string;
  readonly isGroup: boolean;
  /** How it was found. */
  readonly source: 'mdns' | 'static';
}

/** A device record from a TXT record and the SRV/A data of one answer; undefined when the TXT lacks an id. */
export function deviceFromTxt(txt: Record<string, unknown> | undefined, host: string, port: number): CastDevice | undefined {
  const text = (key: string): string => {
    const value = txt?.[key];
    // bonjour-service decodes an empty value (`rs=`) as `true`, or as a Buffer: both read as empty.
    return typeof value === 'string' ? value : '';
  };
  const id = text('id');
  if (!id) return undefined;
  const model = text('md');
  return {
    id,
    name: text('fn') || model || id,
    model,
    host,
    port,
    capabilities: Number.parseInt(text('ca'), 10) || 0,
    status: text('rs'),
    isGroup: model === 'Google Cast Group',
    source: 'mdns',
  };
}

/** True when two records of one device differ in anything a user sees. */
export function deviceChanged(a: CastDevice, b: CastDevice): boolean {
  return a.name !== b.name || a.host !== b.host || a.port !== b.port || a.status !== b.status || a.model !== b.model || a.capabilities !== b.capabilities;
}
