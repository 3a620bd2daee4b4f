import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { silentLogger, type Logger } from '../logger.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { errorMessage } from '../errors.ts';

/**
 * Flags for a headless Chromium that must not reach the outside: even with these it
 * tries update servers, so tests also run it in a loopback-only namespace.
 */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--component-updater=url-source=http://127.0.0.1:9/',
  '--autoplay-policy=no-user-gesture-required',
];

// A Chromecast's user agent: the receiver page sees `CrKey` as it would on a device.
const CAST_USER_AGENT = 'Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 CrKey/1.56.500000 NasCastSimulator';

/** Where a receiver page's outgoing custom messages go. */
export interface ReceiverPageBridge {
  /** The page called `sendCustomMessage(namespace, senderId, data)`; no sender id means all senders. */
  toSender(namespace: string, senderId: string | undefined, data: unknown): void;
}

/** A receiver app's page, open in the simulator's Chromium. */
export interface ReceiverPage {
  readonly url: string;
  /** The namespaces the app supports: those it declared to `CastReceiverContext.start()`, and the media namespace CAF adds. */
  readonly namespaces: readonly string[];
  /** Hands a sender's message to CAF in the page: the media namespace to its PlayerManager, a declared one to the page's listeners. */
  deliver(namespace: string, senderId: string, data: unknown): Promise<void>;
  /** The device's volume changed: CAF tells the page with a SYSTEM_VOLUME_CHANGED event. */
  systemVolumeChanged(volume: { level: number; muted: boolean }): Promise<void>;
  /** Runs a function in the page and resolves with its (serialisable) result: for tests and demos. */
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Saves a PNG of what the "TV" shows. */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

// The stand-in's parts, built from receiver/src with the page's types: each file exports one function that uses nothing outside its body.
const STAND_IN_PARTS = {
  createCafMessages: 'caf-standin-messages.js',
  createMediaSession: 'caf-standin-session.js',
  createPlayerManager: 'caf-standin-player.js',
} as const;

/**
 * The stand-in for `cast.framework` as one init script: an init script is a classic
 * script, which cannot import, so the parts' sources are joined and the installer gets
 * the others as arguments.
 */
async function standInScript(displayable: Readonly<Record<string, boolean>>): Promise<string> {
  const load = async (file: string, name: string): Promise<string> => {
    const module = (await import(pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'receiver', 'src', file)).href)) as Record<string, unknown>;
    const part = module[name];
    if (typeof part !== 'function') throw new Error(`${file} has no function ${name}: is the receiver built (npm run build)?`);
    return part.toString();
  };
  const parts = await Promise.all(Object.entries(STAND_IN_PARTS).map(async ([name, file]) => `${name}: ${await load(file, name)}`));
  return `(${await load('cast-framework-standin.js', 'installCastFrameworkStandIn')})({ ${parts.join(',\n')} }, ${JSON.stringify(displayable)});`;
}

/**
 * The Chromium a simulated Chromecast runs receiver apps in (playwright-core driving
 * Debian's Chromium). Started on the first launch, one page per running app.
 * playwright-core is an optional peer dependency: without it, launches are refused
 * with a clear reason, and the Default Media Receiver still works.
 */
export class ReceiverBrowser {
  readonly #executablePath: string;
  readonly #logger: Logger;
  #starting: Promise<BrowserContext> | undefined;
  #browser: Browser | undefined;

  readonly #displayable: Readonly<Record<string, boolean>>;

  /** `displayable`: what `canDisplayType` answers on this device (see `displayableTypes`). */
  constructor(options: { executablePath?: string; logger?: Logger; displayable?: Readonly<Record<string, boolean>> } = {}) {
    this.#executablePath = options.executablePath ?? '/usr/bin/chromium';
    this.#logger = options.logger ?? silentLogger;
    this.#displayable = options.displayable ?? {};
  }

  /**
   * Opens `url` as a receiver app with the stand-in installed, and resolves once the
   * page has called `CastReceiverContext.start()` (or rejects after `timeoutMs`).
   */
  async open(url: string, bridge: ReceiverPageBridge, timeoutMs = 20_000): Promise<ReceiverPage> {
    const context = await this.#context();
    const page = await context.newPage();
    try {
      return await this.#prepare(page, url, bridge, timeoutMs);
    } catch (error) {
      await page.close().catch(() => {});
      throw error;
    }
  }

  /** Closes Chromium and every page. */
  async close(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    await starting?.catch(() => {});
    const browser = this.#browser;
    this.#browser = undefined;
    await browser?.close().catch((error: unknown) => this.#logger.debug(`simulator Chromium did not close cleanly: ${errorMessage(error)}`));
  }

  async #prepare(page: Page, url: string, bridge: ReceiverPageBridge, timeoutMs: number): Promise<ReceiverPage> {
    let namespaces: string[] = [];
    let ready!: (registered: string[]) => void;
    const started = new Promise<string[]>((resolve) => (ready = resolve));
    page.on('pageerror', (error) => this.#logger.warn(`receiver page ${url}: ${error.message}`));
    page.on('console', (message) => this.#logger.debug(`receiver page console: ${message.text()}`));
    await page.exposeFunction('__nascastCastSend', (namespace: unknown, senderId: unknown, data: unknown) => {
      if (typeof namespace === 'string') bridge.toSender(namespace, typeof senderId === 'string' ? senderId : undefined, data);
    });
    await page.exposeFunction('__nascastCastReady', (registered: unknown) => {
      ready(Array.isArray(registered) ? registered.filter((name): name is string => typeof name === 'string') : []);
    });
    await page.addInitScript({ content: await standInScript(this.#displayable) });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the receiver page did not start CAF within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([page.goto(url, { timeout: timeoutMs }), deadline]);
      namespaces = await Promise.race([started, deadline]);
    } finally {
      clearTimeout(timer);
    }
    return {
      url,
      get namespaces() {
        return namespaces;
      },
      deliver: (namespace, senderId, data) =>
        page.evaluate(
          ([ns, sender, payload]) => (globalThis as { __nascastCastDeliver?: (n: string, s: string, d: unknown) => void }).__nascastCastDeliver?.(ns, sender, payload),
          [namespace, senderId, data] as const,
        ),
      systemVolumeChanged: ({ level, muted }) =>
        page.evaluate(([to, mute]) => (globalThis as { __nascastSystemVolume?: (level: number, muted: boolean) => void }).__nascastSystemVolume?.(to, mute), [level, muted] as const),
      evaluate: (fn) => page.evaluate(fn),
      screenshot: async (file) => {
        await page.screenshot({ path: file });
      },
      close: () => page.close(),
    };
  }

  #context(): Promise<BrowserContext> {
    this.#starting ??= this.#launch();
    const starting = this.#starting;
    // A failed start is not kept: the next launch tries again.
    starting.catch(() => {
      if (this.#starting === starting) this.#starting = undefined;
    });
    return starting;
  }

  async #launch(): Promise<BrowserContext> {
    let playwright: typeof import('playwright-core');
    try {
      playwright = await import('playwright-core');
    } catch {
      throw new Error('running a receiver app needs playwright-core (npm install playwright-core) and Chromium');
    }
    const browser = await playwright.chromium.launch({ executablePath: this.#executablePath, headless: true, args: [...QUIET_CHROMIUM_ARGS] });
    this.#browser = browser;
    return browser.newContext({ viewport: { width: 1920, height: 1080 }, userAgent: CAST_USER_AGENT });
  }
}
