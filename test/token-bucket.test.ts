import test from 'ava';
import fc from 'fast-check';
import { TokenBucket } from '../src/control/token-bucket.ts';

test('an honest client at 49 messages a second is never cut, even when its messages arrive in bunches', (t) => {
  const bucket = new TokenBucket(50, 50, 0);
  // 10 s of 49 messages a second, handled in bunches every 500 ms (a busy event loop).
  for (let batch = 1; batch <= 20; batch++) {
    for (let message = 0; message < 24.5 + (batch % 2); message++) t.true(bucket.take(batch * 500), `batch ${batch}, message ${message}`);
  }
});

test('a burst at what would be a window edge gets the rate through, not twice the rate', (t) => {
  const bucket = new TokenBucket(50, 50, 0);
  let accepted = 0;
  for (let message = 0; message < 49; message++) if (bucket.take(999)) accepted++;
  for (let message = 0; message < 49; message++) if (bucket.take(1001)) accepted++;
  t.is(accepted, 50); // 50 held, and 0.1 of a token earned in 2 ms
});

test('over any stretch of time, no more than burst + rate × seconds are accepted', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 500 }), (gaps) => {
      const bucket = new TokenBucket(50, 50, 0);
      let now = 0;
      let accepted = 0;
      for (const gap of gaps) {
        now += gap;
        if (bucket.take(now)) accepted++;
      }
      return accepted <= 50 + Math.floor((now / 1000) * 50);
    }),
  );
  t.pass();
});
