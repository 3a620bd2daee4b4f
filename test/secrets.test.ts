import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { SecretsError } from '../src/errors.ts';
import { NasCast } from '../src/nascast.ts';
import { loadSecrets, SECRETS_FILE } from '../src/secrets.ts';
import { Grants } from '../src/signing.ts';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/media-server.ts';

async function storageWithKey(t: Parameters<typeof tempDir>[0], key: Buffer): Promise<string> {
  const storage = await tempDir(t);
  await fs.writeFile(path.join(storage, SECRETS_FILE), JSON.stringify({ token: randomBytes(24).toString('base64url'), signingKey: key.toString('base64url') }), { mode: 0o600 });
  return storage;
}

test('a signing key under 32 bytes in the secrets file is ERR_SECRETS, saying how to make new ones', async (t) => {
  for (const key of [Buffer.alloc(0), randomBytes(16), randomBytes(31)]) {
    const storage = await storageWithKey(t, key);
    const error = await t.throwsAsync(loadSecrets(storage), { instanceOf: SecretsError });
    t.is(error.code, 'ERR_SECRETS');
    t.regex(error.message, new RegExp(`signing key of ${key.length} bytes, and at least 32 are needed: delete the file and start NasCast again`));
  }
  t.is((await loadSecrets(await storageWithKey(t, randomBytes(32)))).signingKey.length, 32);
});

test('short keys given in code are refused too: Grants, and NasCast with its secrets as an option', async (t) => {
  t.throws(() => new Grants(Buffer.from('')), { instanceOf: SecretsError, message: /at least 32 bytes; this one has 0/ });
  const media = await tempDir(t);
  const nascast = new NasCast({ media: [{ name: 'Films', path: media }], port: 0, host: '127.0.0.1', discovery: false, rescanInterval: 0, secrets: { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(8) } });
  t.teardown(() => nascast.stop());
  await t.throwsAsync(nascast.start(), { code: 'ERR_SECRETS' });
});

test('nascast serve with a short signing key stops at once with one line saying what to do', async (t) => {
  const storage = await storageWithKey(t, Buffer.from('short'));
  const cli = runCli(t, ['serve', '--media', `Films=${await tempDir(t)}`, '--storage', storage, '--port', '0', '--host', '127.0.0.1', '--no-discovery']);
  t.is(await cli.exited, 1);
  t.regex(cli.stderr, /^nascast: .*nascast-secrets\.json has a signing key of 5 bytes, and at least 32 are needed/);
});
