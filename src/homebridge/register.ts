import { NasCastPlatform, PLATFORM_NAME } from './platform.ts';

/**
 * The part of Homebridge's `API` that registering needs. It is written out here, not
 * imported, so that the library's types do not require homebridge to be installed.
 */
export interface PlatformRegistrar {
  registerPlatform(platformName: string, constructor: new (...args: never[]) => unknown): void;
}

/**
 * The plugin's entry point: Homebridge calls the package's default export with its API,
 * and this registers the `NasCast` dynamic platform.
 */
export default function register(api: PlatformRegistrar): void {
  api.registerPlatform(PLATFORM_NAME, NasCastPlatform);
}
