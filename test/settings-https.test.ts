import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { parsePlatformConfig } from '../src/homebridge/config.ts';
import { PLATFORM_NAME } from '../src/homebridge/platform.ts';
import { SettingsBackend } from '../src/homebridge/settings-backend.ts';
import { NasCast } from '../src/nascast.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';

test('https in the plugin settings (on when not turned off): the settings page reaches the plugin over wss:// pinned to its certificate, and shows the fingerprint', async (t) => {
  const storagePath = await tempDir(t);
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const nascast = new NasCast({ media: [{ name: 'Films', path: path.join(media, 'Films') }], port: 0, host: '127.0.0.1', storage: path.join(storagePath, 'nascast'), discovery: false, rescanInterval: 0, tls: true });
  t.teardown(() => nascast.stop());
  await nascast.start();
  const configPath = path.join(storagePath, 'config.json');
  await fs.writeFile(configPath, JSON.stringify({ platforms: [{ platform: PLATFORM_NAME, port: nascast.server.port, media: [{ name: 'Films', path: path.join(media, 'Films') }] }] }));
  const backend = new SettingsBackend({ storagePath, configPath });
  t.teardown(() => backend.close());
  t.deepEqual(await backend.state(), { running: true, url: `wss://127.0.0.1:${nascast.server.port}/control`, fingerprint: nascast.fingerprint });
  t.deepEqual(await backend.devices(), []);
});

test('https settings are checked: on unless turned off, both files or neither, absolute, and only with https on', (t) => {
  const base = { media: [{ name: 'Films', path: '/films' }] };
  t.is(parsePlatformConfig(base)?.tls, true);
  t.is(parsePlatformConfig({ ...base, https: true })?.tls, true);
  t.deepEqual(parsePlatformConfig({ ...base, certFile: '/c.pem', keyFile: '/k.pem' })?.tls, { certFile: '/c.pem', keyFile: '/k.pem' });
  t.is(parsePlatformConfig({ ...base, https: false })?.tls, undefined);
  t.throws(() => parsePlatformConfig({ ...base, https: true, certFile: '/c.pem' }), { code: 'ERR_CONFIG', message: /both certFile and keyFile/ });
  t.throws(() => parsePlatformConfig({ ...base, https: false, certFile: '/c.pem', keyFile: '/k.pem' }), { code: 'ERR_CONFIG', message: /turn on https/ });
  t.throws(() => parsePlatformConfig({ ...base, https: true, certFile: 'c.pem', keyFile: '/k.pem' }), { code: 'ERR_CONFIG', message: /absolute path/ });
});
