/**
 * Debian's Chromium for the web pages' tests, driven by puppeteer-core (no browser is ever
 * downloaded; scripts/test-deps.sh installs the `chromium` package). Offline-quiet: the flags stop
 * Chromium's background calls home, which here would only be refused connections.
 *
 * ```ts
 * const browser = await launchBrowser();               // { fakeMedia: true } for getUserMedia
 * const page = await browser.newPage();
 * await page.screenshot({ path: outputPath('inspector', 'login.png') });
 * await browser.close();                                // also removes its profile directory
 * ```
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

export type { Browser, Page } from 'puppeteer-core';

/** Where Debian installs Chromium; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** Chromium's fake camera and microphone, granted without a prompt (WebRTC pages). */
  fakeMedia?: boolean;
}

/** True when the browser the tests need is installed. */
export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/** Starts a headless Chromium with a fresh profile; closing the browser removes the profile. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'erc-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`,
    ...(opts.fakeMedia ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
  ];
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args, headless: true, defaultViewport: { width: 1280, height: 800 } });
  // The profile goes once Chromium has exited (it still writes to it while disconnecting).
  const removeProfile = () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a leftover temporary directory is harmless
    }
  };
  const child = browser.process();
  if (child && child.exitCode === null) child.once('exit', removeProfile);
  else removeProfile();
  return browser;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `test-output/browser/<suite>/<file>` (ignored by git), its folder made. */
export function outputPath(suite: string, file: string): string {
  const dir = join(ROOT, 'test-output', 'browser', suite);
  mkdirSync(dir, { recursive: true });
  return join(dir, file);
}
