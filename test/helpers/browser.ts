import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; SCS_TEST_CHROMIUM names another binary. */
const CHROMIUM = process.env.SCS_TEST_CHROMIUM || '/usr/bin/chromium';

/**
 * Debian's headless Chromium, with no network of its own (never a downloaded browser). Without it,
 * one line says how to install it (Playwright's own advice would be to download a browser).
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: run "npm run test:deps" (installs Debian's chromium), or set SCS_TEST_CHROMIUM to a Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
