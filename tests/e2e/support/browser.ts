import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where a failing test leaves its screenshot (git-ignored). */
export const FAILURES_DIR = path.resolve(__dirname, '../failures');

/**
 * Debian's Chromium, headless, driven by playwright-core (never `playwright install`): no GPU, no QUIC, no
 * background traffic, a fresh profile (so no token kept) for each page; Japanese, in JST.
 */
async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1400, height: 900 },
  });
}

/**
 * A page in a fresh Chromium whose every request must stay on 127.0.0.1: a CDN font or a telemetry call fails the
 * test loudly. On failure the page's screenshot is saved as failures/<name>.png.
 */
export async function withPage(name: string, run: (page: Page) => Promise<void>): Promise<void> {
  const profile = mkdtempSync(path.join(tmpdir(), 'renkei-chromium-'));
  const context = await launch(profile);
  const offsite: string[] = [];
  await context.route((url) => url.hostname !== '127.0.0.1', async (route) => {
    offsite.push(route.request().url());
    await route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await run(page);
    if (offsite.length) throw new Error(`the console asked for something not served by renkei: ${offsite.join(', ')}`);
  } catch (err) {
    mkdirSync(FAILURES_DIR, { recursive: true });
    const file = path.join(FAILURES_DIR, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw Object.assign(err as Error, { message: `${(err as Error).message}\n(screenshot: ${file})` });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Opens the console and signs in with the token; resolves once the header names the operator. */
export async function signIn(page: Page, api: string, token: string, expectName: string): Promise<void> {
  await page.goto(`${api}/console/`);
  await page.getByLabel('APIトークン').fill(token);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByTestId('who').filter({ hasText: expectName }).waitFor();
}
