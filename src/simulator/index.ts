/**
 * `homebridge-nascast/simulator`: a Chromecast at the protocol level, for tests
 * and demos.
 *
 * NOT YET IMPLEMENTED. The entry point exists so the package's `exports` map is
 * stable; the simulator itself is built by issue 3 ("Discovery, Cast sessions and
 * the Chromecast simulator"). Importing it today gives an empty module.
 *
 * @packageDocumentation
 */
export {};
