import type { Player } from '../cast/player.ts';
import { unknownDevice } from '../errors.ts';
import { castDeviceProfile, type DeviceProfile } from '../media/device-profile.ts';
import { namesDevice, type DeviceSummary } from '../protocol/devices.ts';

/** Where devices and their players are found: Chromecasts, browser targets, or both at once. */
export interface PlayerDirectory {
  devices(): DeviceSummary[];
  /** The player of a device named by id or name; throws a `ControlError` (`UNKNOWN_DEVICE`, `DEVICE_OFFLINE`). */
  player(device: string): Promise<Player>;
  /** What the device plays, for what is converted for it; the most limited Chromecast's for a device not listed. */
  profile(device: string): DeviceProfile;
}

/** Events of a directory that follows its devices' reachability (Chromecasts, browser targets). */
export interface DirectoryEvents {
  /** A device became reachable or unreachable (a browser target: its page connected or went away). */
  online: [device: DeviceSummary];
}

/**
 * Several directories as one (Chromecasts and browser targets): a device is found in
 * the first directory that lists it by id or name.
 */
export function combineDirectories(...directories: PlayerDirectory[]): PlayerDirectory {
  return {
    devices: () => directories.flatMap((directory) => directory.devices()),
    player(device) {
      const owner = directories.find((directory) => directory.devices().some((summary) => namesDevice(summary, device)));
      if (owner) return owner.player(device);
      return Promise.reject(unknownDevice(device, directories.flatMap((directory) => directory.devices().map((summary) => summary.name))));
    },
    profile(device) {
      const owner = directories.find((directory) => directory.devices().some((summary) => namesDevice(summary, device)));
      return owner ? owner.profile(device) : castDeviceProfile('');
    },
  };
}
