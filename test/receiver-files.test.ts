import test from 'ava';
import { startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

test('the receiver app is served from a closed table of files, and nothing else of the package', async (t) => {
  const { origin } = await startMediaServer(t, { 'a.mp4': 'x' });
  const page = await request(origin, '/receiver/?name=Tablet&token=r1.x');
  t.is(page.status, 200);
  t.is(page.headers['content-type'], 'text/html; charset=utf-8');
  t.is(page.headers['cache-control'], 'no-cache');
  const redirect = await request(origin, '/receiver?name=Tablet');
  t.is(redirect.status, 308);
  t.is(redirect.headers.location, '/receiver/?name=Tablet');

  for (const module of ['/app/receiver/src/main.js', '/app/receiver/src/playback.js', '/app/src/protocol/messages.js', '/app/src/protocol/schema.js', '/app/src/protocol/channel.js', '/app/src/protocol/backoff.js']) {
    const answer = await request(origin, module);
    t.is(answer.status, 200, module);
    t.is(answer.headers['content-type'], 'text/javascript; charset=utf-8', module);
    // Revalidated with the ETag, not fetched again.
    t.is((await request(origin, module, { headers: { 'if-none-match': answer.headers.etag } })).status, 304, module);
  }
  // The modules the page imports are browser-safe: no Node built-in anywhere in them.
  for (const module of ['/app/receiver/src/main.js', '/app/src/protocol/channel.js', '/app/src/protocol/messages.js']) {
    t.notRegex((await request(origin, module)).body.toString(), /from ["']node:/, module);
  }
  for (const refused of ['/app/src/control/hub.js', '/app/src/http/auth.js', '/app/package.json', '/app/../package.json', '/app/%2e%2e/package.json', '/app/receiver/src/../../src/secrets.js', '/receiver/../package.json', '/app/receiver/tsconfig.json']) {
    t.is((await request(origin, refused)).status, 404, refused);
  }
});
