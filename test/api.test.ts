import test from 'ava';
import type { LibraryListing } from '../src/http/api-route.ts';
import { startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const files = {
  'Series/Season 1/Episode 10.mkv': 'e10',
  'Series/Season 1/Episode 2.mkv': 'e2',
  'Series/Season 1/Episode 2.en.srt': '1\n00:00:01,000 --> 00:00:02,000\nHello\n',
  'Series/Season 1/Episode 2.fr.vtt': 'WEBVTT\n\n00:01.000 --> 00:02.000\nBonjour\n',
  'Series/Season 2/Episode 1.mkv': 'x',
  'Film.mp4': 'film',
};

async function list(origin: string, token: string, path?: string): Promise<{ status: number; listing: LibraryListing }> {
  const query = path === undefined ? '' : `?path=${encodeURIComponent(path)}`;
  const response = await request(origin, `/api/library${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, listing: JSON.parse(response.body.toString()) as LibraryListing };
}

test('no path lists the roots', async (t) => {
  const { origin, secrets } = await startMediaServer(t, files);
  const { status, listing } = await list(origin, secrets.token);
  t.is(status, 200);
  t.deepEqual(listing, { path: '', parent: null, folders: [{ name: 'Media', path: 'Media', count: 2, available: true }], items: [] });
});

test('a folder lists subfolders and items in natural order, with signed absolute URLs and subtitles', async (t) => {
  const { origin, secrets, server } = await startMediaServer(t, files);
  const series = (await list(origin, secrets.token, 'Media/Series')).listing;
  t.is(series.parent, 'Media');
  t.deepEqual(series.folders.map((folder) => [folder.name, folder.path, folder.count]), [
    ['Season 1', 'Media/Series/Season 1', 2],
    ['Season 2', 'Media/Series/Season 2', 1],
  ]);

  const season = (await list(origin, secrets.token, 'Media/Series/Season 1')).listing;
  t.is(season.path, 'Media/Series/Season 1');
  t.is(season.parent, 'Media/Series');
  t.deepEqual(season.items.map((item) => item.name), ['Episode 2.mkv', 'Episode 10.mkv']);
  const episode = season.items[0]!;
  t.like(episode, { name: 'Episode 2.mkv', title: 'Episode 2', kind: 'video', mime: 'video/x-matroska', size: 2 });
  t.regex(episode.id, /^[A-Za-z0-9_-]{22}$/);
  t.false(Number.isNaN(Date.parse(episode.modified)));
  t.true(episode.url.startsWith(`${server.url}/media/${episode.id}?g=`));
  t.deepEqual(episode.subtitles.map((track) => track.lang), ['en', 'fr']);

  // The URLs work with no header at all, as a Chromecast fetches them.
  const media = new URL(episode.url);
  const fetched = await request(origin, media.pathname + media.search);
  t.is(fetched.body.toString(), 'e2');
  const vtt = new URL(episode.subtitles[0]!.url);
  const subtitle = await request(origin, vtt.pathname + vtt.search);
  t.is(subtitle.status, 200);
  t.is(subtitle.headers['content-type'], 'text/vtt; charset=utf-8');
  t.is(subtitle.body.toString(), 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello\n');
});

test('a root lists its parent as the empty path; unknown folders are 404', async (t) => {
  const { origin, secrets } = await startMediaServer(t, files);
  const root = (await list(origin, secrets.token, 'Media')).listing;
  t.is(root.parent, '');
  t.deepEqual(root.items.map((item) => item.name), ['Film.mp4']);
  const missing = await list(origin, secrets.token, 'Media/Nope');
  t.is(missing.status, 404);
  t.is((missing.listing as unknown as { error: string }).error, 'NOT_FOUND');
});

test('media URLs use the LAN address, never localhost, when listening on every interface', async (t) => {
  const expected = process.env.NASCAST_TEST_LAN;
  const { server, item } = await startMediaServer(t, { 'a.mp4': 'x' }, { server: { host: '0.0.0.0' } });
  const host = new URL(server.mediaUrl(item('a.mp4'))).hostname;
  if (expected) {
    t.is(host, expected); // the address test/run.sh gives the namespace
  } else {
    t.log('not in the test namespace: checking only that the host is not loopback');
  }
  t.false(['localhost', '127.0.0.1', '[::1]'].includes(host), host);
});

test('a configured publicUrl is used for every URL', async (t) => {
  const { server, item } = await startMediaServer(t, { 'a.mp4': 'x' }, { server: { publicUrl: 'https://nas.example.org:8443/' } });
  t.true(server.mediaUrl(item('a.mp4')).startsWith('https://nas.example.org:8443/media/'));
});

test('items carry what their names say; cover files beside them are artwork, not items', async (t) => {
  const { origin, secrets } = await startMediaServer(t, {
    'Show/Season 1/Show S01E02 - Title [AMZN WEBDL-1080p][EAC3 5.1][h264]-NTb.mkv': 'e',
    'Show/Season 1/Show S01E03E04.mkv': 'e',
    'Show/poster.jpg': 'p',
    'Show/season01-poster.jpg': 'p',
    'Films/Title.2019.1080p.BluRay.x264-GROUP.mkv': 'f',
    'Films/Title.2019.1080p.BluRay.x264-GROUP-fanart.jpg': 'f',
    'Artist/Album/1-03 Song.flac': 'a',
    'Artist/Album/folder.jpg': 'c',
    'Artist/Album/Cover.JPG': 'c',
    'Photos/Beach.jpg': 'b',
  });
  const season = (await list(origin, secrets.token, 'Media/Show/Season 1')).listing;
  t.deepEqual(
    season.items.map(({ title, series, season, episode, episodeEnd }) => ({ title, series, season, episode, episodeEnd })),
    [
      { title: 'Title', series: 'Show', season: 1, episode: 2, episodeEnd: undefined },
      { title: 'Show S01E03E04', series: 'Show', season: 1, episode: 3, episodeEnd: 4 },
    ],
  );
  t.deepEqual((await list(origin, secrets.token, 'Media/Show')).listing.items, [], 'no poster as an item');
  const films = (await list(origin, secrets.token, 'Media/Films')).listing.items;
  t.deepEqual(films.map((item) => [item.name, item.title, item.year]), [['Title.2019.1080p.BluRay.x264-GROUP.mkv', 'Title', 2019]]);
  t.false('series' in films[0]!, 'only the fields a name gives');
  const album = (await list(origin, secrets.token, 'Media/Artist/Album')).listing.items;
  t.deepEqual(album.map(({ name, title, track, disc, artist, album }) => ({ name, title, track, disc, artist, album })), [{ name: '1-03 Song.flac', title: 'Song', track: 3, disc: 1, artist: 'Artist', album: 'Album' }]);
  t.deepEqual((await list(origin, secrets.token, 'Media/Photos')).listing.items.map((item) => [item.title, item.kind]), [['Beach', 'image']]);
});
