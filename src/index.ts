/**
 * homebridge-nascast: cast the media on a NAS to Chromecasts.
 *
 * This entry point is the typed library API ({@link ./api.ts}: the `NasCast` object and
 * its parts), and its default export is the Homebridge plugin, which registers the
 * `NasCast` platform. The API lives in its own module so that the Homebridge face can
 * import it without importing itself.
 *
 * @packageDocumentation
 */
export * from './api.ts';
export { default, type PlatformRegistrar } from './homebridge/register.ts';
