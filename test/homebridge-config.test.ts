import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { ConfigError } from '../src/errors.ts';
import { parsePlatformConfig } from '../src/homebridge/config.ts';
import { hapName } from '../src/homebridge/hap-name.ts';
import { CONTINUE_WATCHING, defaultInputs, INPUT_POOL_SIZE, inputsOf } from '../src/homebridge/inputs.ts';
import { KnownDevices } from '../src/homebridge/known-devices.ts';
import { RecordingLogger } from './helpers/homebridge.ts';
import { tempDir } from './helpers/media-server.ts';

const FULL = {
  platform: 'NasCast',
  name: 'NasCast',
  media: [
    { name: 'Films', path: '/mnt/nas/films' },
    { name: 'Music', path: '/mnt/nas/music/' },
  ],
  port: 8585,
  publicUrl: 'http://nas.lan:8585/',
  appId: '5c3f0a3c',
  devices: ['10.0.20.31', 'tv.lan:8009'],
  inputs: [
    { name: 'Cartoons', media: '/Films/Cartoons/' },
    { name: 'Radio', url: 'https://radio.example/stream.mp3' },
  ],
  televisions: [{ device: 'Living Room TV', name: 'Cinema', volumeAccessory: 'lightbulb', inputs: [{ name: 'Films', media: 'Films' }] }],
  scenes: [{ name: 'Movie Night', device: 'Living Room TV', input: 'Films', volume: 30, shuffle: true }],
};

test('a full configuration is read, normalised and defaulted', (t) => {
  const settings = parsePlatformConfig(FULL);
  t.truthy(settings);
  t.deepEqual(settings!.media, [
    { name: 'Films', path: '/mnt/nas/films' },
    { name: 'Music', path: '/mnt/nas/music' },
  ]);
  t.is(settings!.publicUrl, 'http://nas.lan:8585');
  t.is(settings!.appId, '5C3F0A3C');
  t.deepEqual(settings!.inputs[0], { name: 'Cartoons', media: 'Films/Cartoons' });
  t.is(settings!.televisions[0]!.volumeAccessory, 'lightbulb');
  t.false(settings!.televisions[0]!.hidden);
  t.deepEqual(settings!.scenes[0], { name: 'Movie Night', device: 'Living Room TV', input: 'Films', volume: 30, shuffle: true });
  t.is(settings!.forgetAfterHours, 72);
});

test('an input may be the next episode of a series folder; a TV with no inputs offers Continue watching and the media folders', (t) => {
  const media = [{ name: 'Films', path: '/films' }, { name: 'Series', path: '/series' }];
  const settings = parsePlatformConfig({ media, inputs: [{ name: 'My Show', next: '/Series/My Show/' }] });
  t.deepEqual(settings!.inputs, [{ name: 'My Show', next: 'Series/My Show' }]);
  t.deepEqual(defaultInputs(settings!.media), [{ name: CONTINUE_WATCHING, continueWatching: true }, { name: 'Films', media: 'Films' }, { name: 'Series', media: 'Series' }]);
  t.is(inputsOf(undefined, [], settings!.media).length, 3);
  t.deepEqual(inputsOf([], settings!.inputs, settings!.media), settings!.inputs, "a TV's empty list (as the form saves it) is the platform's inputs");
  t.is(defaultInputs(Array.from({ length: 20 }, (_, index) => ({ name: `Root ${index}`, path: `/r${index}` }))).length, INPUT_POOL_SIZE);
  // A scene can name one of these inputs.
  const scenes = parsePlatformConfig({ media, scenes: [{ name: 'Sofa', device: 'TV', input: 'Continue watching' }, { name: 'Cinema', device: 'TV', input: 'Films' }] })!.scenes;
  t.deepEqual(scenes.map((scene) => scene.input), ['Continue watching', 'Films']);
  t.throws(() => parsePlatformConfig({ media, scenes: [{ name: 'Sofa', device: 'TV', input: 'Music' }] }), { message: /^scenes\[0\]\.input 'Music' is not one of the inputs of 'TV' \(Continue watching, Films, Series\)/ });
});

test('with no media folders the platform is unconfigured, not broken', (t) => {
  t.is(parsePlatformConfig({ platform: 'NasCast' }), undefined);
  t.is(parsePlatformConfig({ platform: 'NasCast', media: [] }), undefined);
});

const MISTAKES: Array<[string, Record<string, unknown>, RegExp]> = [
  ['a relative media path', { media: [{ name: 'Films', path: 'films' }] }, /^media\[0\]\.path must be an absolute folder path/],
  ['a media folder without a name', { media: [{ path: '/films' }] }, /^media\[0\]\.name is required/],
  ['two media folders of one name', { media: [{ name: 'Films', path: '/a' }, { name: 'films', path: '/b' }] }, /^media\[1\]\.name 'films' is used twice/],
  ['media that is not a list', { media: '/films' }, /^media must be a list/],
  ['a port out of range', { port: 70_000 }, /^port must be a whole number from 0 to 65535/],
  ['a port as text', { port: '8585' }, /^port must be a whole number/],
  ['a publicUrl without a scheme', { publicUrl: 'nas.lan:8585' }, /^publicUrl must be an http\(s\) URL/],
  ['an app id that is not 8 hex digits', { appId: 'CC1AD845X' }, /^appId must be the 8-character id/],
  ['a device that is not a host', { devices: ['http://tv'] }, /^devices\[0\] must be a host/],
  ['an input with media and url', { inputs: [{ name: 'x', media: 'Films', url: 'http://a/b' }] }, /^inputs\[0\] needs either media .* not both/],
  ['an input with neither', { inputs: [{ name: 'x' }] }, /^inputs\[0\] needs either media .* not neither/],
  ['an input URL that is not http', { inputs: [{ name: 'x', url: 'ftp://a/b' }] }, /^inputs\[0\]\.url must be an http\(s\) URL/],
  ['an input with next and media', { inputs: [{ name: 'x', media: 'Films', next: 'Series/My Show' }] }, /^inputs\[0\] has next \(the next episode of a series folder\) and media; an input plays one of media, url or next$/],
  ["a TV's input with next and url", { televisions: [{ device: 'TV', inputs: [{ name: 'x', url: 'http://a/b', next: 'Series/My Show' }] }] }, /^televisions\[0\]\.inputs\[0\] has next .* and url/],
  ['an empty next', { inputs: [{ name: 'x', next: ' / ' }] }, /^inputs\[0\]\.next must be a series folder of the library \(like Series\/My Show\), not " \/ "$/],
  ['a next that is not text', { inputs: [{ name: 'x', next: 3 }] }, /^inputs\[0\]\.next must be a series folder of the library .*, not 3$/],
  ['a television without a device', { televisions: [{ name: 'Cinema' }] }, /^televisions\[0\]\.device is required/],
  ['a volume accessory of an unknown kind', { televisions: [{ device: 'TV', volumeAccessory: 'dimmer' }] }, /^televisions\[0\]\.volumeAccessory must be none, lightbulb or fan/],
  ['hidden as text', { televisions: [{ device: 'TV', hidden: 'yes' }] }, /^televisions\[0\]\.hidden must be true or false/],
  ['a scene whose input is not one of the device inputs', { inputs: [{ name: 'Cartoons', media: 'Films' }], scenes: [{ name: 'Night', device: 'TV', input: 'Films' }] }, /^scenes\[0\]\.input 'Films' is not one of the inputs of 'TV' \(Cartoons\)/],
  ['a scene volume over 100', { inputs: [{ name: 'Films', media: 'Films' }], scenes: [{ name: 'Night', device: 'TV', input: 'Films', volume: 120 }] }, /^scenes\[0\]\.volume must be a whole number from 0 to 100/],
  ['two scenes of one name', { inputs: [{ name: 'Films', media: 'Films' }], scenes: [{ name: 'Night', device: 'TV', input: 'Films' }, { name: 'night', device: 'TV', input: 'Films' }] }, /^scenes\[1\]\.name 'night' is used twice/],
  ['an entry that is not an object', { inputs: ['Films'] }, /^inputs\[0\] must be an object/],
];

for (const [what, change, message] of MISTAKES) {
  test(`a mistake names its field: ${what}`, (t) => {
    const error = t.throws(() => parsePlatformConfig({ media: [{ name: 'Films', path: '/films' }], ...change }), { instanceOf: ConfigError });
    t.regex(error.message, message);
    t.is(error.code, 'ERR_CONFIG');
  });
}

test('names are made acceptable to HAP', (t) => {
  t.is(hapName('Living Room TV'), 'Living Room TV');
  t.is(hapName('🎬 Cinema!'), 'Cinema');
  t.is(hapName('  Épisode 2 — « Le retour »  '), 'Épisode 2 Le retour');
  t.is(hapName("Tom's TV"), "Tom's TV");
  t.is(hapName('A'), 'A NasCast');
  t.is(hapName('🎬🎬', 'Chromecast'), 'Chromecast');
  t.is(hapName('x'.repeat(80)).length, 64);
  t.is(hapName('[Films] 2024'), 'Films 2024');
});

test('known devices survive a restart, age out, and a damaged file is set aside', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'nascast', 'devices.json');
  const logger = new RecordingLogger();
  const known = await KnownDevices.load(file, logger);
  known.seen({ id: 'a', name: 'Living Room TV', kind: 'chromecast' }, 1_000);
  known.seen({ id: 'b', name: 'Kitchen', kind: 'chromecast' }, 5_000);
  known.update('a', { configuredName: 'Cinema', lastInput: 2 });
  await known.flush();
  const again = await KnownDevices.load(file, logger);
  t.like(again.get('a'), { name: 'Living Room TV', configuredName: 'Cinema', lastInput: 2, lastSeen: 1_000 });
  t.deepEqual(again.forget(2_000).map((device) => device.id), ['a']);
  await again.flush();
  t.deepEqual((await KnownDevices.load(file, logger)).list().map((device) => device.id), ['b']);
  await writeFile(file, '{ not json');
  const damaged = await KnownDevices.load(file, logger);
  t.deepEqual(damaged.list(), []);
  t.regex(logger.at('warn').join('\n'), /devices\.json is not valid JSON/);
  t.is(await readFile(`${file}.bad`, 'utf8'), '{ not json');
});
