import test from 'ava';
import { Grants } from '../src/signing.ts';
import { startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const files = { 'film.mp4': 'film bytes', 'film.en.srt': '1\n00:00:01,000 --> 00:00:02,000\nHi\n' };

test('media without a grant: 401 with a short reason', async (t) => {
  const { origin, item } = await startMediaServer(t, files);
  const response = await request(origin, `/media/${item('film.mp4').id}`);
  t.is(response.status, 401);
  t.deepEqual(JSON.parse(response.body.toString()), { error: 'UNAUTHORIZED', message: 'a grant (?g=) or a token is required' });
});

test('media with a wrong grant, or a grant for another id: 401', async (t) => {
  const { origin, item, mediaPath, server } = await startMediaServer(t, { ...files, 'other.mp4': 'x' });
  const id = item('film.mp4').id;
  const otherGrant = new URL(server.mediaUrl(item('other.mp4'))).searchParams.get('g')!;
  const good = new URL(mediaPath('film.mp4'), origin).searchParams.get('g')!;
  const [expiry] = good.split('.');
  for (const grant of [otherGrant, `${expiry}.AAAAAAAAAAAAAAAAAAAAAA`, `${Number(expiry) + 3600}.${good.split('.')[1]}`, 'garbage', '.', `${expiry}.`]) {
    const response = await request(origin, `/media/${id}?g=${encodeURIComponent(grant)}`);
    t.is(response.status, 401, grant);
    t.is(JSON.parse(response.body.toString()).error, 'UNAUTHORIZED');
  }
});

test('media with an expired grant: 401 GRANT_EXPIRED', async (t) => {
  const { origin, item, secrets } = await startMediaServer(t, files);
  const id = item('film.mp4').id;
  const expired = new Grants(secrets.signingKey).sign(id, Math.floor(Date.now() / 1000) - 60);
  const response = await request(origin, `/media/${id}?g=${expired}`);
  t.is(response.status, 401);
  t.is(JSON.parse(response.body.toString()).error, 'GRANT_EXPIRED');
});

test('a valid grant, or the bearer token instead, serves the file', async (t) => {
  const { origin, item, mediaPath, secrets } = await startMediaServer(t, files);
  t.is((await request(origin, mediaPath('film.mp4'))).body.toString(), 'film bytes');
  const id = item('film.mp4').id;
  const withToken = await request(origin, `/media/${id}`, { headers: { authorization: `Bearer ${secrets.token}` } });
  t.is(withToken.status, 200);
  const wrongToken = await request(origin, `/media/${id}`, { headers: { authorization: 'Bearer nope' } });
  t.is(wrongToken.status, 401);
});

test('subtitles need their own grant too', async (t) => {
  const { origin, item, server } = await startMediaServer(t, files);
  const track = item('film.mp4').subtitles[0]!;
  t.is((await request(origin, `/subtitles/${track.id}.vtt`)).status, 401);
  const signed = new URL(server.subtitleUrl(track));
  const response = await request(origin, signed.pathname + signed.search);
  t.is(response.status, 200);
  // A media grant does not open a subtitle, and the other way round.
  const mediaGrant = new URL(server.mediaUrl(item('film.mp4'))).searchParams.get('g')!;
  t.is((await request(origin, `/subtitles/${track.id}.vtt?g=${mediaGrant}`)).status, 401);
});

test('the API needs the token: missing and wrong get 401; header or ?token= work', async (t) => {
  const { origin, secrets } = await startMediaServer(t, files);
  const missing = await request(origin, '/api/library');
  t.is(missing.status, 401);
  t.is(missing.headers['www-authenticate'], 'Bearer realm="nascast"');
  t.is((await request(origin, '/api/library', { headers: { authorization: 'Bearer wrong' } })).status, 401);
  t.is((await request(origin, '/api/library', { headers: { authorization: `Basic ${secrets.token}` } })).status, 401);
  t.is((await request(origin, '/api/library?token=wrong')).status, 401);
  t.is((await request(origin, '/api/library', { headers: { authorization: `Bearer ${secrets.token}` } })).status, 200);
  t.is((await request(origin, `/api/library?token=${secrets.token}`)).status, 200);
});

test('/healthz needs no auth', async (t) => {
  const { origin } = await startMediaServer(t, files);
  t.is((await request(origin, '/healthz')).status, 200);
});

test('grants: a signature is bound to its id and expiry', (t) => {
  const grants = new Grants(Buffer.alloc(32, 7));
  const future = Math.floor(Date.now() / 1000) + 100;
  const grant = grants.sign('AAAAAAAAAAAAAAAAAAAAAA', future);
  t.is(grants.verify('AAAAAAAAAAAAAAAAAAAAAA', grant), undefined);
  t.is(grants.verify('BAAAAAAAAAAAAAAAAAAAAA', grant), 'wrong');
  t.is(grants.verify('AAAAAAAAAAAAAAAAAAAAAA', grant, (future + 1) * 1000), 'expired');
  t.is(new Grants(Buffer.alloc(32, 8)).verify('AAAAAAAAAAAAAAAAAAAAAA', grant), 'wrong');
  t.is(grants.verify('AAAAAAAAAAAAAAAAAAAAAA', undefined), 'missing');
});
