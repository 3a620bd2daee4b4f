import test from 'ava';
import { controllerMessages as clientMessages, parseMessage, receiverCommands } from '../src/protocol/index.ts';

const parse = (value: unknown) => parseMessage(typeof value === 'string' ? value : JSON.stringify(value), clientMessages);

test('a valid request is checked, typed and stripped of unknown fields', (t) => {
  const result = parse({ v: 1, type: 'seek', id: 'r1', device: 'Living Room', position: 90, extra: 'dropped' });
  t.true(result.ok);
  if (!result.ok) return;
  t.deepEqual(result.message, { v: 1, type: 'seek', id: 'r1', device: 'Living Room', position: 90 });
  if (result.message.type === 'seek') t.is(result.message.position, 90); // narrowed by type
});

test('optional fields may be left out; the handshake checks the role', (t) => {
  t.true(parse({ v: 1, type: 'hello', token: 'x', role: 'controller' }).ok);
  t.like(parse({ v: 1, type: 'hello', token: 'x', role: 'admin' }), { ok: false, failure: { kind: 'bad-fields', type: 'hello', reason: 'role must be one of receiver, controller' } });
});

test('each kind of bad frame is told apart: JSON, envelope, type, fields', (t) => {
  t.like(parse('{not json'), { ok: false, failure: { kind: 'invalid-json' } });
  t.like(parse([1, 2]), { ok: false, failure: { kind: 'bad-envelope' } });
  t.like(parse({ type: 'pause', device: 'a' }), { ok: false, failure: { kind: 'bad-envelope', reason: 'v must be 1' } });
  t.like(parse({ v: 1, device: 'a' }), { ok: false, failure: { kind: 'bad-envelope', reason: 'type must be a string' } });
  t.like(parse({ v: 1, type: 'pause', id: 7, device: 'a' }), { ok: false, failure: { kind: 'bad-envelope' } });
  t.like(parse({ v: 1, type: 'rewind', id: 'r2' }), { ok: false, failure: { kind: 'unknown-type', id: 'r2', type: 'rewind' } });
  t.like(parse({ v: 1, type: 'toString', id: 'r3' }), { ok: false, failure: { kind: 'unknown-type' } }, 'no prototype keys');
  t.like(parse({ v: 1, type: 'volume', id: 'r4', device: 'a', level: 1.5 }), { ok: false, failure: { kind: 'bad-fields', id: 'r4', reason: 'level must be between 0 and 1' } });
  t.like(parse({ v: 1, type: 'seek', id: 'r5', device: 'a', position: 'soon' }), { ok: false, failure: { kind: 'bad-fields', reason: 'position must be a finite number' } });
  t.like(parse({ v: 1, type: 'pause', id: 'r6' }), { ok: false, failure: { kind: 'bad-fields', reason: 'device is required' } });
});

test('receiver commands have their own schemas, with nested subtitle tracks checked', (t) => {
  const load = { v: 1, type: 'load', url: 'http://nas/media/x', contentType: 'video/mp4', subtitles: [{ lang: 'en', url: 'http://nas/s.vtt' }] };
  t.true(parseMessage(JSON.stringify(load), receiverCommands).ok);
  const bad = parseMessage(JSON.stringify({ ...load, subtitles: [{ lang: 'en' }] }), receiverCommands);
  t.like(bad, { ok: false, failure: { kind: 'bad-fields', reason: 'subtitles[0].url is required' } });
  // The artwork's URL, if any: a string, as long as a media URL may be.
  t.like(parseMessage(JSON.stringify({ ...load, image: 'http://nas/artwork/x?size=large' }), receiverCommands), { ok: true, message: { image: 'http://nas/artwork/x?size=large' } });
  t.like(parseMessage(JSON.stringify({ ...load, image: { url: 'http://nas/a.jpg' } }), receiverCommands), { ok: false, failure: { kind: 'bad-fields' } });
  t.like(parseMessage(JSON.stringify({ ...load, image: `http://nas/${'a'.repeat(8192)}` }), receiverCommands), { ok: false, failure: { kind: 'bad-fields' } });
});

test('limits are whole numbers: a fraction is refused before it reaches the library', (t) => {
  const refused = parse({ v: 1, type: "continue", id: "c", limit: 2.5 });
  t.false(refused.ok);
  t.like(refused, { failure: { kind: 'bad-fields', reason: 'limit must be a whole number' } });
  t.true(parse({ v: 1, type: "search", id: "s", query: "amelie", limit: 20 }).ok);
});
