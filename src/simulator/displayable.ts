import type { DeviceModel } from '../media/device-models.ts';
import { SUPPORT_QUERIES } from '../media/device-profile.ts';

/**
 * What CAF's `canDisplayType` answers on a device of `model`, for the types NasCast's
 * receiver asks about, by Google's table: a container or audio codec the model lists, or
 * a video codec it decodes at least as far as the question asks (level, bit depth, size
 * and rate). A device answers for what it decodes, so the stand-in does too.
 */
export function displayableTypes(model: DeviceModel): Record<string, boolean> {
  const answers: Record<string, boolean> = {};
  for (const query of SUPPORT_QUERIES) {
    const adds = query.adds;
    if ('container' in adds) answers[query.type] = model.containers.includes(adds.container);
    else if ('audio' in adds) answers[query.type] = model.audio.includes(adds.audio);
    else {
      const asked = adds.video;
      const largest = asked.modes.reduce((best, mode) => (mode.width * mode.height > best.width * best.height ? mode : best));
      answers[query.type] = model.video.some(
        (support) =>
          support.codec === asked.codec &&
          support.maxBitDepth >= asked.maxBitDepth &&
          (asked.maxLevel === undefined || support.maxLevel === undefined || support.maxLevel >= asked.maxLevel) &&
          support.modes.some((mode) => mode.width >= largest.width && mode.height >= largest.height),
      );
    }
  }
  return answers;
}
