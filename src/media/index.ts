export { folderQueue, isMediaUrl, MAX_QUEUE, resolvePlayable, startOf, type MediaSource } from './resolve.ts';
export { SignedMedia, type SignedMediaOptions } from './signed-media.ts';
export { probeMediaUrl, type ProbedMedia, type ProbeOptions } from './probe.ts';
export { isCastPlayable } from './playable.ts';
export { DEFAULT_DEVICE_MODEL, DEVICE_MODELS, deviceModel, type DeviceModel, type DeviceModelId, type VideoSupport } from './device-models.ts';
