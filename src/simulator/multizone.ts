import { createHash } from 'node:crypto';
import { dashedUuid } from './mdns-records.ts';

type Json = Record<string, unknown>;

/** The multizone namespace: groups report their members on it, devices themselves. */
export const MULTIZONE_NAMESPACE = 'urn:x-cast:com.google.cast.multizone';

/** One device in a group's MULTIZONE_STATUS. */
export interface MultizoneMember {
  /** 32 hex digits, as in the member's TXT `id`. */
  readonly id: string;
  readonly name: string;
}

/**
 * Members as a group's option names them: a 32-hex-digit or dashed id stands for
 * itself (named by it); any other string is a member's friendly name, given an id
 * derived from the group's id and that name, so that it is the same on every run.
 */
export function multizoneMembers(groupId: string, members: readonly string[]): MultizoneMember[] {
  return members.map((member) => {
    const hex = member.replaceAll('-', '');
    if (/^[0-9a-f]{32}$/i.test(hex)) return { id: hex.toLowerCase(), name: member };
    return { id: createHash('sha256').update(`${groupId}\0${member}`).digest('hex').slice(0, 32), name: member };
  });
}

/** What a device needs to answer on the multizone namespace. */
export interface MultizoneHost {
  /** The devices it reports: a group's members, or the device itself. */
  devices(): ReadonlyArray<MultizoneMember & { capabilities: number; volume: { level: number; muted: boolean } }>;
}

/**
 * The answer to a request on the multizone namespace, or undefined when none is
 * due. GET_STATUS gives MULTIZONE_STATUS in the shape a TV sent it (`deviceId` the
 * upper-case dashed UUID); GET_CASTING_GROUPS the (empty) list of groups casting.
 */
export function multizoneReply(host: MultizoneHost, message: Json): Json | undefined {
  const requestId = typeof message.requestId === 'number' ? message.requestId : undefined;
  switch (message.type) {
    case 'GET_STATUS':
      return {
        type: 'MULTIZONE_STATUS',
        requestId: requestId ?? 0,
        status: {
          devices: host.devices().map((device) => ({ deviceId: dashedUuid(device.id).toUpperCase(), name: device.name, capabilities: device.capabilities, volume: { ...device.volume } })),
          isMultichannel: false,
          playbackSession: { appAllowsGrouping: true, isVideoContent: false, streamTransferSupported: true },
        },
      };
    case 'GET_CASTING_GROUPS':
      return { type: 'CASTING_GROUPS', requestId: requestId ?? 0, status: { groups: [] } };
    default:
      // As on the receiver namespace: an unknown command with no request id gets no reply.
      return requestId === undefined ? undefined : { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' };
  }
}
