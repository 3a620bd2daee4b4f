import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { chromium, type BrowserContext } from 'playwright-core';
import { QUIET_CHROMIUM_ARGS } from '../../src/simulator/receiver-browser.ts';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Fails the test unless it runs in the loopback-only namespace test/run.sh makes:
 * Chromium reaches for update and metrics servers even with every flag below.
 */
export function requireTestNamespace(t: ExecutionContext): boolean {
  if (process.env.NASCAST_NETNS === '1') return true;
  t.fail('this test starts Chromium: run it through `npm test`, which makes a loopback-only network namespace');
  return false;
}

/** Headless Chromium with a fresh profile, closed and removed when the test ends. */
export async function launchChromium(t: ExecutionContext, options: { ignoreHTTPSErrors?: boolean } = {}): Promise<BrowserContext> {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_CHROMIUM_ARGS],
    // A self-signed certificate: as a person who accepted the browser's warning once.
    ...(options.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
  });
  t.teardown(async () => {
    await context.close();
    await fs.rm(profile, { recursive: true, force: true });
  });
  return context;
}
