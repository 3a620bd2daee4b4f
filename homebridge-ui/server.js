// The Homebridge UI runs this file for the plugin's settings page (see src/homebridge/ui-server.ts).
import { NasCastUiServer } from '../dist/src/homebridge/ui-server.js';

new NasCastUiServer();
