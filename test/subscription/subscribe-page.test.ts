import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { subscribePage } from '../../src/subscription/pages.js';
import { launchChromium } from '../helpers/browser.js';
import { exampleProject } from '../helpers/scs.js';

/** How the sign-up form looks in Chromium, at a phone's width. */
describe('the sign-up page in Chromium', () => {
  let browser: Browser;
  let config: Config;
  let cleanup: () => void;
  beforeAll(async () => {
    const project = exampleProject();
    cleanup = project.cleanup;
    config = loadConfig({ root: project.dir, env: {} });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  it("lines up the lists' legend with the field labels, and links back to the press room", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.setContent(subscribePage(config, 'sv'));
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    const [email, nameLabel, name, legend] = await Promise.all(
      ['#email', 'label[for=name]', '#name', 'legend'].map(box),
    );
    expect(legend.x).toBe(nameLabel.x);
    // As far below the field above it as a label is.
    expect(Math.round(legend.y - (name.y + name.height))).toBe(
      Math.round(nameLabel.y - (email.y + email.height)),
    );
    const back = page.locator('nav a', { hasText: 'Tillbaka till pressrummet' });
    expect(await back.getAttribute('href')).toBe('https://press.stadslabbet.example/sv/');
    await page.close();
  });

  it("names the organisation in the page's language", async () => {
    const page = await browser.newPage();
    await page.setContent(subscribePage(config, 'en'));
    expect(await page.title()).toBe('Subscribe to news from Norrsken Urban Lab – Norrsken Urban Lab');
    expect(await page.locator('.org').textContent()).toBe('Norrsken Urban Lab');
    expect(await page.locator('nav a').first().getAttribute('href')).toBe(
      'https://press.stadslabbet.example/en/',
    );
    await page.close();
  });
});
