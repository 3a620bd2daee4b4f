import proto from 'castv2/lib/proto.js';
import { CastProtocolError } from '../errors.ts';

/**
 * Resolves once castv2 has loaded its protobuf definitions. It loads them
 * asynchronously and has no event for it: a connection made or accepted before then
 * throws "extension not loaded yet" inside castv2, out of reach of any handler, and the
 * process dies. Senders (CastSession) and the simulator both wait for it.
 */
export async function protocolReady(timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      proto.CastMessage.serialize({ protocolVersion: 0, sourceId: 's', destinationId: 'd', namespace: 'n', payloadType: 0, payloadUtf8: '' });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new CastProtocolError('castv2 protobuf definitions did not load', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
