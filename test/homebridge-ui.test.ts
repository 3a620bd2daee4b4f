import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { loadTls } from '../src/http/tls.ts';
import { NasCast } from '../src/nascast.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { freePort } from './helpers/ports.ts';
import { startSimulator } from './helpers/simulator.ts';

// The settings page's server script, run as the Homebridge UI runs it: a child process
// spoken to over IPC ({ action: 'request', path, body, requestId } → { action: 'response' }).

const SERVER = fileURLToPath(new URL('../homebridge-ui/server.js', import.meta.url));

interface Response {
  success: boolean;
  data: Record<string, unknown> & { message?: string };
}

class UiProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, (response: Response) => void>();
  readonly ready: Promise<void>;

  constructor(t: ExecutionContext, env: Record<string, string>) {
    this.#child = fork(SERVER, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    this.#child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.#child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.ready = new Promise((resolve, reject) => {
      this.#child.on('message', (message: { action: string; payload: { requestId?: string } & Response }) => {
        if (message.action === 'ready') resolve();
        if (message.action === 'response') this.#waiting.get(message.payload.requestId!)?.(message.payload);
      });
      this.#child.once('exit', (code) => reject(new Error(`the server script exited (${code}): ${output}`)));
    });
    t.teardown(async () => {
      if (this.#child.exitCode !== null) return;
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      this.#child.disconnect(); // as the UI does when the page closes: the script ends itself
      await exited;
    });
  }

  request(route: string, body: Record<string, unknown> = {}): Promise<Response> {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${route}`)), 40_000);
      this.#waiting.set(requestId, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.#child.send({ action: 'request', path: route, body, requestId });
    });
  }
}

/** Homebridge's storage folder with a config.json naming NasCast on `port`. */
async function homebridgeStorage(t: ExecutionContext, port: number, platform: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const storage = await tempDir(t);
  const configPath = path.join(storage, 'config.json');
  await writeFile(configPath, JSON.stringify({ bridge: { name: 'Homebridge' }, platforms: [{ platform: 'NasCast', port, ...platform }] }));
  return { HOMEBRIDGE_STORAGE_PATH: storage, HOMEBRIDGE_CONFIG_PATH: configPath, HOMEBRIDGE_UI_VERSION: '5.0.0' };
}

/** A running plugin (NasCast with its secrets in Homebridge's storage) with one simulated device, and the settings server script. */
async function runningPlugin(t: ExecutionContext): Promise<{ ui: UiProcess; tv: Awaited<ReturnType<typeof startSimulator>>; port: number }> {
  const port = await freePort();
  const env = await homebridgeStorage(t, port);
  const media = await tempDir(t);
  await mkdir(path.join(media, 'Films', 'Cartoons'), { recursive: true });
  await makeMp4(path.join(media, 'Films', 'Cartoons', 'Episode 1.mp4'), { seconds: 10, faststart: true });
  const tv = await startSimulator(t, { name: 'Den' });
  const nascast = new NasCast({ media: [{ name: 'Films', path: path.join(media, 'Films') }], port, host: '127.0.0.1', storage: path.join(env.HOMEBRIDGE_STORAGE_PATH!, 'nascast'), discovery: false, devices: [{ host: tv.host, port: tv.port, name: 'Den' }], rescanInterval: 0, tls: true });
  t.teardown(() => nascast.stop());
  await nascast.start();
  await eventually(() => nascast.devices().length === 1, 10_000, 'the device found');
  const ui = new UiProcess(t, env);
  await ui.ready;
  return { ui, tv, port };
}

test('the settings page in Chromium, on the real server script: shows the devices and the library, adds an input, test-casts', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { ui, tv } = await runningPlugin(t);
  const browser = await launchChromium(t);
  const page = await browser.newPage();
  // The Homebridge UI's `window.homebridge`, reduced to what the page uses; its requests go to the server script over IPC.
  await page.exposeFunction('__nascastRequest', (route: string, body: Record<string, unknown>) => ui.request(route, body));
  await page.addInitScript(() => {
    const target = new EventTarget();
    const calls: string[] = [];
    let config: Array<Record<string, unknown>> = [{ platform: 'NasCast', name: 'NasCast', media: [{ name: 'Films', path: '/films' }] }];
    const bridge = globalThis as unknown as { __nascastRequest(route: string, body: unknown): Promise<{ success: boolean; data: unknown }>; homebridge: unknown; __calls: string[]; __config: () => unknown };
    bridge.__calls = calls;
    bridge.__config = () => config;
    bridge.homebridge = {
      addEventListener: target.addEventListener.bind(target),
      request: async (route: string, body?: unknown) => {
        const response = await bridge.__nascastRequest(route, body ?? {});
        if (!response.success) throw new Error((response.data as { message: string }).message);
        return response.data;
      },
      getPluginConfig: () => Promise.resolve(config),
      updatePluginConfig: (next: Array<Record<string, unknown>>) => {
        config = next;
        return Promise.resolve(next);
      },
      showSchemaForm: () => calls.push('schema form'),
      showSpinner: () => calls.push('spinner'),
      hideSpinner: () => calls.push('spinner off'),
      toast: Object.fromEntries(['success', 'error', 'warning', 'info'].map((kind) => [kind, (message: string) => calls.push(`${kind}: ${message}`)])),
    };
    addEventListener('load', () => target.dispatchEvent(new Event('ready')));
  });
  const html = await readFile(new URL('../homebridge-ui/public/index.html', import.meta.url), 'utf8');
  // Served by Playwright itself (nothing leaves the browser), as the UI serves it: a fragment inside its own page.
  await page.route('http://settings.invalid/', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html><body>${html}</body></html>` }));
  await page.goto('http://settings.invalid/');
  await page.getByText('Running.').waitFor({ timeout: 10_000 });
  await page.locator('#nascast-devices').getByText('Den').waitFor();
  await page.locator('#nascast-library').getByText('Films').waitFor();
  await page.locator('.nascast-row', { hasText: 'Films' }).getByRole('button', { name: 'Open' }).click();
  const cartoons = page.locator('.nascast-row', { hasText: 'Cartoons' });
  await cartoons.waitFor();
  await cartoons.getByRole('button', { name: 'Add as input' }).click();
  await page.waitForFunction(() => JSON.stringify((globalThis as unknown as { __config: () => unknown }).__config()).includes('Films/Cartoons'));
  const config = (await page.evaluate(() => (globalThis as unknown as { __config: () => unknown }).__config())) as Array<{ inputs: unknown[] }>;
  t.deepEqual(config[0]!.inputs, [{ name: 'Cartoons', media: 'Films/Cartoons' }]);
  await cartoons.getByRole('button', { name: 'Test' }).click();
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 20_000, 'the test cast playing');
  // The device plays before the page hears the answer: wait for the page's toast, not for luck.
  const pageCalls = (): Promise<string[]> => page.evaluate(() => (globalThis as unknown as { __calls: string[] }).__calls);
  await eventually(async () => (await pageCalls()).some((call) => call.startsWith('success: Playing on Den')), 10_000, 'the page told the test cast plays');
  const calls = await pageCalls();
  t.true(calls.includes('schema form'), 'the standard form is shown under the page');
  t.true(calls.some((call) => call.startsWith('success: Playing on Den')), calls.join('; '));
  t.false(calls.some((call) => call.startsWith('error')), calls.join('; '));
  await page.screenshot({ path: path.resolve('test-output', 'settings-page.png'), fullPage: true });
});

test('the settings server lists the devices and the library of the running plugin, and its test cast plays', async (t) => {
  // The plugin as it runs in Homebridge: its secrets in <storage>/nascast, HTTPS on (the default).
  const { ui, tv, port } = await runningPlugin(t);
  const state = await ui.request('/state');
  t.like(state, { success: true, data: { running: true, url: `wss://127.0.0.1:${port}/control` } });
  t.regex(String(state.data.fingerprint), /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
  const devices = await ui.request('/devices');
  t.true(devices.success);
  t.like((devices.data as unknown as Array<{ name: string; online: boolean }>)[0], { name: 'Den', online: true });
  const top = await ui.request('/library');
  t.true(top.success);
  t.regex(JSON.stringify(top.data), /"Films"/);
  const films = await ui.request('/library', { path: 'Films' });
  t.regex(JSON.stringify(films.data), /Cartoons/);
  const cast = await ui.request('/test-cast', { device: 'Den', media: 'Films/Cartoons' });
  t.true(cast.success, JSON.stringify(cast.data));
  t.is(tv.mediaStatus()?.playerState, 'PLAYING');

  const wrongDevice = await ui.request('/test-cast', { device: 'Attic', media: 'Films/Cartoons' });
  t.false(wrongDevice.success);
  t.regex(wrongDevice.data.message!, /no device named 'Attic'; found: Den/);
  const nothing = await ui.request('/test-cast', { device: 'Den' });
  t.is(nothing.data.message, 'choose something to play: a library folder or file, or a URL');
  const missing = await ui.request('/library', { path: 'Nowhere' });
  t.false(missing.success);
  const unknownRoute = await ui.request('/delete-everything');
  t.like(unknownRoute, { success: false, data: { message: 'Not Found', path: '/delete-everything' } });
});

test('with the plugin not running, or not configured, the page is told why in words', async (t) => {
  const port = await freePort();
  const env = await homebridgeStorage(t, port);
  await mkdir(path.join(env.HOMEBRIDGE_STORAGE_PATH!, 'nascast'));
  await writeFile(path.join(env.HOMEBRIDGE_STORAGE_PATH!, 'nascast', 'nascast-secrets.json'), JSON.stringify({ token: 'x'.repeat(32), signingKey: 'a' }));
  // What a first start left besides the secrets: the self-signed certificate.
  await loadTls({}, path.join(env.HOMEBRIDGE_STORAGE_PATH!, 'nascast'));
  const ui = new UiProcess(t, env);
  await ui.ready;
  const state = await ui.request('/state');
  t.is(state.data.running, false);
  t.regex(String(state.data.message), new RegExp(`NasCast does not answer on port ${port}: is Homebridge running`));
  const devices = await ui.request('/devices');
  t.false(devices.success);

  const unconfigured = await tempDir(t);
  await writeFile(path.join(unconfigured, 'config.json'), JSON.stringify({ bridge: {}, platforms: [] }));
  const fresh = new UiProcess(t, { HOMEBRIDGE_STORAGE_PATH: unconfigured, HOMEBRIDGE_CONFIG_PATH: path.join(unconfigured, 'config.json') });
  await fresh.ready;
  t.regex(String((await fresh.request('/state')).data.message), /not configured yet/);
  const neverStarted = await homebridgeStorage(t, port);
  const early = new UiProcess(t, neverStarted);
  await early.ready;
  t.regex(String((await early.request('/state')).data.message), /has not started yet/);
});
