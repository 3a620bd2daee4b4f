// Where playback is now, from a status reported some time ago: devices report changes
// (the Default Media Receiver) or ticks a second apart (receiver pages), never the
// present. Browser-safe: players, the hub, the CLI and the web page all use it.

/** The part of a status that says where playback was. */
export interface ReportedPosition {
  readonly state: string;
  readonly position: number;
  readonly duration?: number | undefined;
}

/**
 * The reported position, moved on by the time since it was reported while playing,
 * and not past the end. `reportedAt` and `now` are milliseconds on the same clock.
 */
export function positionNow(status: ReportedPosition, reportedAt: number, now = Date.now()): number {
  const moved = status.state === 'PLAYING' ? Math.max(0, now - reportedAt) / 1000 : 0;
  const position = status.position + moved;
  return status.duration === undefined ? position : Math.min(position, status.duration);
}
