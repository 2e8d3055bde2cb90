import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TestContext } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { E2EEnv } from "./env";

// Debian's chromium driven by playwright-core (Playwright's own browser
// download is not available here). launch() gives every run a fresh
// temporary profile (--user-data-dir) and removes it on close. Chromium
// reads the certificates it trusts beyond the system's from the NSS
// database under HOME, so env.browserHome (when set) becomes its HOME.
export function launchBrowser(env: E2EEnv): Promise<Browser> {
  return chromium.launch({
    executablePath: env.chromium,
    headless: true,
    timeout: 60_000,
    ...(env.browserHome ? { env: { ...process.env, HOME: env.browserHome } } : {}),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 740 };

/**
 * withPage gives a test its own browser context (cookies, storage), saves a
 * screenshot when the test fails, and always closes the context.
 */
export async function withPage(
  t: TestContext,
  browser: Browser,
  env: E2EEnv,
  fn: (s: Session) => Promise<void>,
  viewport = DESKTOP,
): Promise<void> {
  const context = await browser.newContext({ baseURL: env.baseUrl, viewport, locale: "en-IE" });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  try {
    await fn({ context, page });
  } catch (err) {
    const file = path.join(env.screenshots, `failed-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`screenshot of the failure: ${file} (at ${page.url()})`);
    throw err;
  } finally {
    await context.close();
  }
}

export async function screenshot(page: Page, env: E2EEnv, name: string): Promise<void> {
  mkdirSync(env.screenshots, { recursive: true });
  await page.screenshot({ path: path.join(env.screenshots, `${name}.png`), fullPage: true });
}
