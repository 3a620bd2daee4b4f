// The watch history follows statuses as devices send them: changes, not a position every second.
import test from 'ava';
import type { PlayerStatus } from '../src/cast/player.ts';
import type { MediaLibrary } from '../src/library/library.ts';
import { MediaFolder, MediaItem } from '../src/library/model.ts';
import { WatchFollower } from '../src/players/watch-follower.ts';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'BBBBBBBBBBBBBBBBBBBBBB';

function recorder() {
  const played: Array<[string, number, number | undefined, boolean]> = [];
  let flushes = 0;
  const folder = new MediaFolder({ name: 'Films', path: '/films' }, '', 'Films');
  const items = new Map([ID, OTHER].map((id) => [id, new MediaItem(id, `${id}.mp4`, 'video', 'video/mp4', 1, 0, folder)]));
  const library = {
    get: (id: string) => items.get(id),
    played: (item: MediaItem, position: number, duration: number | undefined, ended = false) => void played.push([item.id, position, duration, ended]),
    flushHistory: () => {
      flushes++;
    },
  } as unknown as MediaLibrary;
  return { library, played, flushes: () => flushes };
}

const status = (state: PlayerStatus['state'], id: string | undefined, position: number): PlayerStatus => ({
  state,
  position,
  duration: 3600,
  volume: 1,
  muted: false,
  ...(id ? { media: { url: `http://nas:8585/media/${id}?g=1.x` } } : {}),
});

test('a stop is recorded where the film was, moved on by the time it played since its last status', (t) => {
  const { library, played, flushes } = recorder();
  let now = 0;
  const follower = new WatchFollower(library, () => now);
  follower.observe('tv', status('PLAYING', ID, 0));
  now = 45_000; // 45 s of playing with no status, as the Default Media Receiver does
  follower.observe('tv', status('IDLE', undefined, 0));
  t.deepEqual(played, [
    [ID, 0, 3600, false],
    [ID, 45, 3600, false],
  ]);
  t.is(flushes(), 1, 'written at once');
});

test('a pause is written as it is; another item settles the first; an end finishes; URLs outside the library are ignored', (t) => {
  const { library, played } = recorder();
  let now = 0;
  const follower = new WatchFollower(library, () => now);
  follower.observe('tv', status('PAUSED', ID, 600));
  now = 60_000;
  follower.observe('tv', status('PLAYING', OTHER, 10));
  follower.observe('tv', status('ENDED', OTHER, 3600));
  follower.observe('tv', { state: 'PLAYING', position: 5, volume: 1, muted: false, media: { url: 'https://example.com/clip.mp4' } });
  t.deepEqual(played, [
    [ID, 600, 3600, false],
    [ID, 600, 3600, false], // paused: not moved on by the minute that passed
    [OTHER, 10, 3600, false],
    [OTHER, 3600, 3600, true],
  ]);
});
