import v8 from 'node:v8';

/** The V8 settings {@link limitHeapGrowth} applies, in `node --v8-options` form. */
export const HEAP_GROWTH_FLAGS: readonly string[] = [
  // The young generation keeps the size it has instead of doubling under churn.
  '--semi-space-growth-factor=1',
  // After a full GC the old generation may grow to 1.5× what is live (V8's own choice
  // runs from 1.1× when saving memory to 4× when collections are fast, as here).
  '--heap-growing-percent=50',
];

let applied = false;

/**
 * Stops V8 growing this process's heap with the churn of a media server. Called by
 * `NasCast.start()` unless its `limitHeapGrowth` option is `false`; a program that
 * uses `MediaServer` directly can call it itself, before it starts. Call it as early
 * as you can (a Homebridge platform: in its constructor): it stops growth, it does not
 * undo it. Homebridge's own start-up grew the young generation from 16 to 32 MiB (both
 * semi-spaces) between loading the plugin and `NasCast.start()` in 9 of 10 logged
 * restarts, and a bridge that then reads its index and rescans touches all of it: the
 * restarted bridge of `npm run bench` (10,001 files) added 21 to 31 MiB with the call
 * in `start()` only, 11.7 to 12.9 MiB (5 runs) with it in the platform's constructor,
 * where the young generation stays at 16 MiB, as resident as in the bare bridge.
 *
 * Why: V8 sizes its young generation from the machine's memory and doubles it while
 * objects keep surviving collections, as the sockets and requests of a seeking player
 * do. On a 24 GiB machine, 10,000 aborted range requests took a server from 74 to
 * 209 MiB RSS, still climbing, nearly all of it young generation; and with a small
 * young generation, objects promoted early let the old generation swell (22 → 50 MiB)
 * until a full GC. `node --max-semi-space-size` would cap the first, but a Homebridge
 * plugin cannot choose Node's flags, so this sets the two heuristics V8 reads at run
 * time instead. With both, `npm run bench` measures RSS flat after the first 2,000
 * aborted requests and 15 MiB less under 64 connections. The price is more frequent
 * scavenges: over 10 paired runs at 64 connections, a median of 13.1k req/s against
 * 14.5k with V8's sizing (each run anywhere from 7k to 17k on a 2-core machine).
 *
 * The setting is process-wide (in Homebridge it applies to the other plugins too)
 * and cannot be undone; calling this again does nothing.
 */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  for (const flag of HEAP_GROWTH_FLAGS) v8.setFlagsFromString(flag);
}
