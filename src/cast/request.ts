import type { RequestResponseController } from 'castv2-client';
import { CastProtocolError, CastTimeoutError, DeviceUnavailableError } from '../errors.ts';

type Json = Record<string, unknown>;

/**
 * One castv2-client request as a promise with a deadline. castv2-client has no
 * timeouts and throws synchronously when its socket is gone (its controllers are
 * nulled on close): both come back here as typed rejections, never as a throw
 * into the process.
 */
export function requestWithDeadline(controller: RequestResponseController | null | undefined, payload: Json, timeoutMs: number): Promise<Json> {
  const operation = String(payload.type);
  if (!controller) return Promise.reject(new DeviceUnavailableError(`Not connected to the device, so ${operation} cannot be sent`));
  return new Promise<Json>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CastTimeoutError(operation, timeoutMs)), timeoutMs);
    try {
      controller.request(payload, (error, response) => {
        clearTimeout(timer);
        if (error) reject(new CastProtocolError(`${operation}: ${error.message}`, { cause: error }));
        else resolve(response);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(new DeviceUnavailableError(`The connection to the device closed before ${operation} could be sent`, { cause: error }));
    }
  });
}
