/**
 * Headless Chromium for the browser tests, driven by playwright-core: Debian's `chromium` package
 * (or CHROMIUM_PATH). When there is none the tests skip, saying why, except in CI (CI=true), where
 * its absence fails them (.ci/run installs it). Screenshots go to
 * FJORD_SCREENSHOT_DIR (default dist/screenshots) for review.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from './env.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable to drive, or null when none is installed. */
export function chromiumPath(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Why the browser tests cannot run here, or null when they can (always null in CI). */
export function browserSkipReason(): string | null {
  return chromiumPath() === null && process.env.CI !== 'true' ? 'Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped' : null;
}

/** A headless Chromium closed when the test ends. */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  const path = chromiumPath();
  if (path === null) throw new Error('Chromium must be installed in CI (apt-get install chromium, or set CHROMIUM_PATH)');
  const browser = await chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  onCleanup(t, () => browser.close());
  return browser;
}

/** A page that fails the test on any uncaught script error in it. */
export async function openPage(t: TestContext, browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  onCleanup(t, () => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors };
}

/** Where screenshots are written (created on first use). */
export function screenshotDir(): string {
  const dir = process.env.FJORD_SCREENSHOT_DIR ?? fileURLToPath(new URL('../../screenshots/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Save a full-page screenshot of `page` as `<name>.png`; the file's path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir(), `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
