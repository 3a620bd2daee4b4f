// How times, sizes and positions are shown to people: shared by the command line and
// the web page, so it must stay free of Node imports (the page loads it as it is).
import type { PlayerStatus } from './cast/player.ts';

/** `2:03` or `1:02:03`. */
export function formatTime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Bytes as people read them. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Where playback is now: the reported position, moved on by the time since it was
 * reported while playing (the Default Media Receiver reports changes, not ticks).
 */
export function positionNow(status: PlayerStatus, reportedAt: number, now = Date.now()): number {
  const moved = status.state === 'PLAYING' ? (now - reportedAt) / 1000 : 0;
  const position = status.position + moved;
  return status.duration === undefined ? position : Math.min(position, status.duration);
}
