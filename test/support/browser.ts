// The browser-test harness: Debian's Chromium driven by playwright-core, and the whole app
// (API + built web app) in-process on an in-memory PGlite. `npm run test:browser` builds the web
// app first; `npm test` does not run these tests.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openPGlite, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { ensureFirstAdmin } from '../../src/engine/bootstrap.js';
import { buildApp } from '../../src/server/app.js';
import type { Runtime } from '../../src/engine/runtime.js';
import { loadConfig } from '../../src/server/config.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-app.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const WEB_DIR = resolve('dist/web');
export const SCREENSHOT_DIR = resolve('test-results/screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `describe` for browser tests: skipped, with a message saying why, when Chromium is not installed
 * (install it with `apt-get install chromium`, or point CHROMIUM_PATH at one).
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (!hasChromium) {
    console.warn(`[browser tests] skipped "${name}": no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  describe.skipIf(!hasChromium)(hasChromium ? name : `${name} (skipped: no Chromium at ${CHROMIUM_PATH})`, fn);
}

/**
 * Chromium with a new, empty profile (Playwright creates a temporary one per launch). `args`: more
 * flags for one test file (the calls' fake camera and microphone).
 */
export function launchBrowser(opts: { args?: string[] } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])], timeout: 60_000 });
}

/**
 * A fresh page in its own context (no cookies, no storage). Page errors are collected in
 * `errors` so a test can assert the app threw none.
 */
export async function newPage(browser: Browser, opts: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: opts.locale ?? 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export interface WebServer {
  url: string;
  db: Database;
  admin: { email: string; password: string };
  /** the app's engine and loops (running on their own, on the real clock) */
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * Starts the API and the built web app (dist/web) in-process on a fresh in-memory database, with
 * an admin. Builds nothing: `npm run test:browser` runs `build:web` before the tests.
 * `seed` writes rows straight into the database before the engine loads it (thousands of agents,
 * say, which the HTTP API would take minutes to create).
 */
export async function startWebServer(opts: { seed?: (db: Database) => Promise<void> } = {}): Promise<WebServer> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    throw new Error(`${WEB_DIR}/index.html is missing: build the web app first (npm run build:web; npm run test:browser does it)`);
  }
  const db = await openPGlite();
  await migrate(db);
  await ensureFirstAdmin(db, ADMIN_EMAIL, ADMIN_PASSWORD);
  await opts.seed?.(db);
  // a secret key of its own: without one the app would write a key file into ./data
  const app = await buildApp({ db, config: { ...loadConfig({}), webDir: WEB_DIR, secretKey: 'browser-test-secret-key' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    db,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    runtime: app.runtime,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Fills the login form (labels in either language) and submits it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^(E-mail)/).fill(email);
  await page.getByLabel(/^(Senha|Password)/).fill(password);
  await page.getByRole('button', { name: /^(Entrar|Sign in)$/ }).click();
}

/** Saves a full-page PNG (`fullPage: false`: the screen only) to test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // a modal caught mid-fade is a half-transparent overlay on the page: wait for transitions to end
  // (the infinite ones, a spinner or a pulsing "ao vivo" dot, never do)
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 2000 })
    .catch(() => undefined);
  // a full page taken while scrolled paints the fixed header and navbar mid-page: from the top
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage });
  return path;
}
