import path from 'node:path';
import { ConfigError, DEVICE_MODELS, type DeviceModelId, type DeviceOverride, type MediaRootConfig, type PassthroughCodec } from '../api.ts';
import { flag, integer, list, objects, optionalText, text, type Raw } from './config-fields.ts';
import { type Favourite, inputList, inputsOf, INPUT_POOL_SIZE } from './inputs.ts';

export { INPUT_POOL_SIZE, type Favourite };

/** How one device appears in the Home app. */
export interface TelevisionSettings {
  /** The device, by its name or id as discovery reports it. */
  readonly device: string;
  /** The name in the Home app (default: the device's own). */
  readonly name?: string;
  /** Do not publish this device. */
  readonly hidden: boolean;
  /** Its inputs; the platform's `inputs` when absent. */
  readonly inputs?: readonly Favourite[];
  /** An extra accessory whose level is the volume, for Siri ("set the Living Room volume to 30 percent"). */
  readonly volumeAccessory: 'none' | 'lightbulb' | 'fan';
  /** What it plays, where its network name does not tell or the TV behind it decodes more (AC3 passthrough, 5.1). */
  readonly playback?: DeviceOverride;
}

/** A Switch that plays a favourite on a device at a volume ("turn on Movie Night"). */
export interface SceneSettings {
  readonly name: string;
  readonly device: string;
  /** The favourite's name, among the device's inputs. */
  readonly input: string;
  /** 0–100, or keep the volume as it is. */
  readonly volume?: number;
  readonly shuffle: boolean;
}

/** The platform's settings, checked. */
export interface PlatformSettings {
  readonly name: string;
  readonly media: readonly MediaRootConfig[];
  readonly port: number;
  readonly publicUrl?: string;
  /** HTTPS for people and controllers: `true` for a self-signed certificate, or your certificate and key files. */
  readonly tls?: true | { readonly certFile: string; readonly keyFile: string };
  readonly appId?: string;
  /** Chromecasts reached by address (`host[:port]`). */
  readonly devices: readonly string[];
  readonly interface?: string;
  readonly inputs: readonly Favourite[];
  readonly televisions: readonly TelevisionSettings[];
  readonly scenes: readonly SceneSettings[];
  /** A device not seen for this long is removed from the Home app. */
  readonly forgetAfterHours: number;
  /** Files converted at once for devices that cannot play them as they are. */
  readonly maxConversions?: number;
  /** The audio language played when a file has several. */
  readonly audioLanguage?: string;
}

/**
 * Checks the platform's block of Homebridge's config.json. Every mistake is a
 * {@link ConfigError} that names the field (`media[1].path`), so the log line says
 * what to mend. Returns `undefined` when the block has no media folders yet: the
 * platform then does nothing, as a plugin installed but not configured must.
 */
export function parsePlatformConfig(raw: Raw): PlatformSettings | undefined {
  if (raw.media === undefined || (Array.isArray(raw.media) && raw.media.length === 0)) return undefined;
  const media = objects(raw, 'media', 'media', (entry, at) => ({ name: rootName(entry, at), path: folderPath(entry, at) }));
  const names = new Set<string>();
  for (const [index, root] of media.entries()) {
    if (names.has(root.name.toLowerCase())) throw new ConfigError(`media[${index}].name '${root.name}' is used twice; each media folder needs its own name`);
    names.add(root.name.toLowerCase());
  }
  const inputs = raw.inputs === undefined ? [] : inputList(raw, 'inputs');
  const televisions = raw.televisions === undefined ? [] : objects(raw, 'televisions', 'televisions', television);
  const scenes = raw.scenes === undefined ? [] : objects(raw, 'scenes', 'scenes', scene);
  const sceneNames = new Set<string>();
  for (const [index, entry] of scenes.entries()) {
    if (sceneNames.has(entry.name.toLowerCase())) throw new ConfigError(`scenes[${index}].name '${entry.name}' is used twice; each scene is a switch of its own`);
    sceneNames.add(entry.name.toLowerCase());
    const tv = televisions.find((candidate) => candidate.device.toLowerCase() === entry.device.toLowerCase());
    const available = inputsOf(tv?.inputs, inputs, media);
    if (!available.some((input) => input.name === entry.input)) {
      throw new ConfigError(`scenes[${index}].input '${entry.input}' is not one of the inputs of '${entry.device}' (${available.map((input) => input.name).join(', ') || 'none configured'})`);
    }
  }
  const publicUrl = optionalText(raw, 'publicUrl', 'publicUrl');
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError(`publicUrl must be an http(s) URL such as http://nas.lan:8585, not '${publicUrl}'`);
  const tls = tlsSettings(raw);
  const appId = optionalText(raw, 'appId', 'appId');
  const audioLanguage = optionalText(raw, 'audioLanguage', 'audioLanguage');
  const networkInterface = optionalText(raw, 'interface', 'interface');
  if (appId !== undefined && !/^[0-9A-F]{8}$/i.test(appId)) throw new ConfigError(`appId must be the 8-character id the Cast console gave your receiver app (like 5C3F0A3C), or empty for the Default Media Receiver`);
  return {
    name: optionalText(raw, 'name', 'name') ?? 'NasCast',
    media,
    port: integer(raw, 'port', 'port', 8585, 0, 65_535),
    ...(publicUrl === undefined ? {} : { publicUrl: publicUrl.replace(/\/+$/, '') }),
    ...(tls === undefined ? {} : { tls }),
    ...(appId === undefined ? {} : { appId: appId.toUpperCase() }),
    devices: raw.devices === undefined ? [] : list(raw, 'devices', 'devices', (entry, at) => hostPort(entry, at)),
    ...(networkInterface === undefined ? {} : { interface: networkInterface }),
    inputs,
    televisions,
    scenes,
    forgetAfterHours: integer(raw, 'forgetAfterHours', 'forgetAfterHours', 72, 1, 24 * 365),
    ...(raw.maxConversions === undefined ? {} : { maxConversions: integer(raw, 'maxConversions', 'maxConversions', 2, 1, 16) }),
    ...(audioLanguage === undefined ? {} : { audioLanguage }),
  };
}

function television(entry: Raw, at: string): TelevisionSettings {
  const volumeAccessory = optionalText(entry, 'volumeAccessory', at) ?? 'none';
  if (volumeAccessory !== 'none' && volumeAccessory !== 'lightbulb' && volumeAccessory !== 'fan') throw new ConfigError(`${at}.volumeAccessory must be none, lightbulb or fan, not '${volumeAccessory}'`);
  const name = optionalText(entry, 'name', at);
  return {
    device: text(entry, 'device', at),
    ...(name === undefined ? {} : { name }),
    hidden: flag(entry, 'hidden', at),
    ...(entry.inputs === undefined ? {} : { inputs: inputList(entry, `${at}.inputs`) }),
    volumeAccessory,
    ...playbackOf(entry, at),
  };
}

const PASSTHROUGH: readonly PassthroughCodec[] = ['ac3', 'eac3'];

/** A television's `model`, `audioPassthrough` and `maxAudioChannels`, checked. */
function playbackOf(entry: Raw, at: string): { playback?: DeviceOverride } {
  const model = optionalText(entry, 'model', at);
  if (model !== undefined && !DEVICE_MODELS.has(model as DeviceModelId)) throw new ConfigError(`${at}.model must be one of ${[...DEVICE_MODELS.keys()].join(', ')}, not '${model}'`);
  const passthrough = entry.audioPassthrough === undefined ? [] : list(entry, 'audioPassthrough', `${at}.audioPassthrough`, (value, where) => {
    if (!PASSTHROUGH.includes(value as PassthroughCodec)) throw new ConfigError(`${where} must be ac3 or eac3, not ${JSON.stringify(value)}`);
    return value as PassthroughCodec;
  });
  const channels = entry.maxAudioChannels === undefined ? undefined : integer(entry, 'maxAudioChannels', `${at}.maxAudioChannels`, 2, 1, 8);
  const playback: DeviceOverride = { ...(model !== undefined && { model: model as DeviceModelId }), ...(passthrough.length > 0 && { audioPassthrough: passthrough }), ...(channels !== undefined && { maxAudioChannels: channels }) };
  return Object.keys(playback).length > 0 ? { playback } : {};
}

function scene(entry: Raw, at: string): SceneSettings {
  const volume = entry.volume === undefined ? undefined : integer(entry, 'volume', `${at}.volume`, 0, 0, 100);
  return { name: text(entry, 'name', at), device: text(entry, 'device', at), input: text(entry, 'input', at), ...(volume === undefined ? {} : { volume }), shuffle: flag(entry, 'shuffle', at) };
}

function rootName(entry: Raw, at: string): string {
  const name = text(entry, 'name', at);
  if (name.includes('/') || name.startsWith('.')) throw new ConfigError(`${at}.name '${name}' may not contain '/' or start with '.'`);
  return name;
}

function folderPath(entry: Raw, at: string): string {
  const folder = text(entry, 'path', at);
  if (!path.isAbsolute(folder)) throw new ConfigError(`${at}.path must be an absolute folder path (like /mnt/nas/films), not '${folder}'`);
  const normal = path.normalize(folder);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

function hostPort(value: unknown, at: string): string {
  if (typeof value !== 'string' || !/^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/i.test(value.trim())) throw new ConfigError(`${at} must be a host or address with an optional port (10.0.20.31 or tv.lan:8009), not ${JSON.stringify(value)}`);
  return value.trim();
}

function tlsSettings(raw: Raw): PlatformSettings['tls'] {
  const certFile = optionalText(raw, 'certFile', 'certFile');
  const keyFile = optionalText(raw, 'keyFile', 'keyFile');
  // On unless turned off: the API token must not cross the LAN in clear (issue 19).
  if (!flag(raw, 'https', 'https', true)) {
    if (certFile !== undefined || keyFile !== undefined) throw new ConfigError('certFile and keyFile are for HTTPS: turn on https, or leave them empty');
    return undefined;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('https: give both certFile and keyFile, or neither for a self-signed certificate');
  for (const [key, value] of [['certFile', certFile], ['keyFile', keyFile]] as const) {
    if (value !== undefined && !value.startsWith('/')) throw new ConfigError(`${key} must be an absolute path, not '${value}'`);
  }
  return certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : true;
}
