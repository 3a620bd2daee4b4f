import { readFile } from 'node:fs/promises';
import test from 'ava';
import { Ajv, type ErrorObject } from 'ajv';
import { parsePlatformConfig } from '../src/homebridge/config.ts';
import { PLATFORM_NAME, PLUGIN_NAME } from '../src/homebridge/platform.ts';
import { INPUT_POOL_SIZE } from '../src/homebridge/television.ts';

interface PluginSchema {
  pluginAlias: string;
  pluginType: string;
  singular: boolean;
  headerDisplay: string;
  schema: { $schema: string; properties: Record<string, unknown> };
  layout: unknown[];
}

const root = new URL('../', import.meta.url);
const pluginSchema = JSON.parse(await readFile(new URL('config.schema.json', root), 'utf8')) as PluginSchema;
const packageJson = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as Record<string, unknown> & { scripts: Record<string, string>; engines: Record<string, string>; dependencies: Record<string, string>; keywords: string[]; files: string[]; exports: Record<string, unknown> };
const readme = await readFile(new URL('README.md', root), 'utf8');
// The schema says which draft it is; Ajv's default class is draft-07.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(pluginSchema.schema);

/** The README's example: the JSON block of its "Homebridge" section. */
function readmeExample(): Record<string, unknown> {
  const section = readme.slice(readme.indexOf('## Homebridge'));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no JSON example under "## Homebridge"');
  return JSON.parse(block[1]!) as Record<string, unknown>;
}

function errorsOf(config: unknown): ErrorObject[] {
  return validate(config) ? [] : [...(validate.errors ?? [])];
}

test('the schema declares draft-07 and its alias is the platform the plugin registers', (t) => {
  t.is(pluginSchema.schema.$schema, 'http://json-schema.org/draft-07/schema#');
  t.is(pluginSchema.pluginAlias, PLATFORM_NAME);
  t.is(pluginSchema.pluginType, 'platform');
  t.true(pluginSchema.singular);
  t.regex(pluginSchema.headerDisplay, /Default Media Receiver/);
  t.regex(pluginSchema.headerDisplay, /Custom Receiver/);
});

test("the README's example passes the schema and the plugin's own checks", (t) => {
  const example = readmeExample();
  t.deepEqual(errorsOf(example), []);
  const settings = parsePlatformConfig(example);
  t.is(settings?.media.length, 3);
  t.deepEqual(settings?.inputs.at(-1), { name: 'My Show', next: 'Series/My Show' });
  t.is(settings?.scenes[0]?.input, 'Cartoons');
});

test('every setting the plugin reads is in the schema, and nothing else is', (t) => {
  const example = {
    ...readmeExample(),
    publicUrl: 'http://nas.lan:8585',
    https: true,
    certFile: '/etc/ssl/nas.pem',
    keyFile: '/etc/ssl/nas.key',
    appId: '5C3F0A3C',
    devices: ['10.0.20.31'],
    interface: '192.168.1.10',
    forgetAfterHours: 24,
    maxConversions: 2,
    audioLanguage: 'fr',
    televisions: [{ device: 'Living Room TV', model: 'chromecast-google-tv', audioPassthrough: ['ac3', 'eac3'], maxAudioChannels: 6 }],
  };
  t.deepEqual(errorsOf(example), []);
  const settings = parsePlatformConfig(example);
  t.like(settings, { maxConversions: 2, audioLanguage: 'fr', televisions: [{ device: 'Living Room TV', playback: { model: 'chromecast-google-tv', audioPassthrough: ['ac3', 'eac3'], maxAudioChannels: 6 } }] });
  const read = ['name', 'media', 'port', 'publicUrl', 'https', 'certFile', 'keyFile', 'appId', 'devices', 'interface', 'inputs', 'televisions', 'scenes', 'forgetAfterHours', 'maxConversions', 'audioLanguage'];
  t.deepEqual(Object.keys(pluginSchema.schema.properties).sort(), read.sort());
});

const MISTAKES: Array<[string, Record<string, unknown>, string]> = [
  ['no media folder', { media: [] }, '/media'],
  ['a media folder with no path', { media: [{ name: 'Films' }] }, '/media/0'],
  ['a relative media path', { media: [{ name: 'Films', path: 'films' }] }, '/media/0/path'],
  ['a media name with a slash', { media: [{ name: 'Films/HD', path: '/films' }] }, '/media/0/name'],
  ['a port out of range', { port: 70_000 }, '/port'],
  ['a port as text', { port: '8585' }, '/port'],
  ['a publicUrl without a scheme', { publicUrl: 'nas.lan:8585' }, '/publicUrl'],
  ['an app id that is not 8 hex digits', { appId: 'CC1AD845X' }, '/appId'],
  ['a TV model not in the table', { televisions: [{ device: 'TV', model: 'chromecast-9' }] }, '/televisions/0/model'],
  ['DTS passthrough, which no Cast device carries', { televisions: [{ device: 'TV', audioPassthrough: ['dts'] }] }, '/televisions/0/audioPassthrough/0'],
  ['no conversion at all', { maxConversions: 0 }, '/maxConversions'],
  ['a device that is a URL', { devices: ['http://tv'] }, '/devices/0'],
  ['an input with both media and url', { inputs: [{ name: 'x', media: 'Films', url: 'http://a/b' }] }, '/inputs/0'],
  ['an input with neither', { inputs: [{ name: 'x' }] }, '/inputs/0'],
  ['an input URL that is not http', { inputs: [{ name: 'x', url: 'ftp://a/b' }] }, '/inputs/0/url'],
  ['an input with next and media', { inputs: [{ name: 'x', media: 'Films', next: 'Series/My Show' }] }, '/inputs/0'],
  ['an input with an empty next', { inputs: [{ name: 'x', next: '' }] }, '/inputs/0/next'],
  ["a TV's input with next and url", { televisions: [{ device: 'TV', inputs: [{ name: 'x', url: 'http://a/b', next: 'Series/My Show' }] }] }, '/televisions/0/inputs/0'],
  ['more inputs than the pool', { inputs: Array.from({ length: INPUT_POOL_SIZE + 1 }, (_, index) => ({ name: `x${index}`, media: 'Films' })) }, '/inputs'],
  ['a TV with no device', { televisions: [{ name: 'Cinema' }] }, '/televisions/0'],
  ['a volume accessory of an unknown kind', { televisions: [{ device: 'TV', volumeAccessory: 'dimmer' }] }, '/televisions/0/volumeAccessory'],
  ['hidden as text', { televisions: [{ device: 'TV', hidden: 'yes' }] }, '/televisions/0/hidden'],
  ['a scene volume over 100', { scenes: [{ name: 'Night', device: 'TV', input: 'Films', volume: 120 }] }, '/scenes/0/volume'],
  ['a scene with no input', { scenes: [{ name: 'Night', device: 'TV' }] }, '/scenes/0'],
  ['forgetting after zero hours', { forgetAfterHours: 0 }, '/forgetAfterHours'],
  ['a relative certificate file', { https: true, certFile: 'nas.pem', keyFile: '/etc/ssl/nas.key' }, '/certFile'],
  ['https as text', { https: 'yes' }, '/https'],
];

for (const [what, change, field] of MISTAKES) {
  test(`the schema rejects ${what}, naming ${field}`, (t) => {
    const errors = errorsOf({ name: 'NasCast', media: [{ name: 'Films', path: '/films' }], ...change });
    t.true(errors.length > 0);
    t.true(errors.some((error) => error.instancePath === field), errors.map((error) => `${error.instancePath} ${error.message ?? ''}`).join('; '));
    // The plugin's own check refuses it too (the form can be bypassed by editing config.json).
    if (what !== 'no media folder') t.throws(() => parsePlatformConfig({ media: [{ name: 'Films', path: '/films' }], ...change }), { code: 'ERR_CONFIG' });
  });
}

test('the package meets the Verified-by-Homebridge rules that can be checked here', async (t) => {
  t.is(packageJson.name, PLUGIN_NAME);
  t.true(PLUGIN_NAME.startsWith('homebridge-'));
  t.true(packageJson.keywords.includes('homebridge-plugin'));
  t.truthy(packageJson.engines.homebridge, 'engines.homebridge');
  t.truthy(packageJson.engines.node, 'engines.node');
  t.is(packageJson.dependencies.homebridge, undefined, 'homebridge is never a dependency');
  t.is(packageJson.dependencies['hap-nodejs'], undefined);
  for (const script of ['preinstall', 'install', 'postinstall']) t.is(packageJson.scripts[script], undefined, `no ${script} script`);
  t.true(packageJson.files.includes('config.schema.json'), 'the settings form ships');
  // Homebridge loads the package's main entry and calls its default export.
  const entry = (await import(new URL(String(packageJson.main), root).href)) as { default: unknown };
  t.is(typeof entry.default, 'function');
});
