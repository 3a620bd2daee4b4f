import type { ControlErrorCode } from './protocol.ts';

/** Codes of {@link ControlError}: the protocol's, plus `CLOSED` for a client that was closed. */
export type ControlErrorReason = ControlErrorCode | 'CLOSED';

/**
 * A control-channel request that failed. The hub throws it from handlers and answers
 * it as `error { id, code, message }`; {@link ControlClient} rejects with it. The codes
 * are listed in README.md ("Control channel").
 */
export class ControlError extends Error {
  readonly code: ControlErrorReason;

  constructor(code: ControlErrorReason, message: string) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
  }
}

/** `UNKNOWN_DEVICE`, in the one-line form that says what was found instead. */
export function unknownDevice(device: string, found: readonly string[]): ControlError {
  return new ControlError('UNKNOWN_DEVICE', `no device named '${device}'; found: ${found.length ? found.join(', ') : 'none'}`);
}
