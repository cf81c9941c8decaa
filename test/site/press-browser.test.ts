import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launchChromium, openPage } from '../helpers/browser.js';
import { build, fixtureProject, serveStatic } from './helpers.js';

/**
 * The press office's pages in headless Chromium, checked by axe: a corrected release in Swedish and
 * English, a withdrawn release's notice, the contacts pages, and an old address after a title edit.
 */
const NOW = new Date('2026-12-10T11:00:00Z');
const FEES = 'releases/2026/2026-01-20-hamnavgifter.sv.md';
const OLD = 'sv/2026/01/20/hamnavgifterna-for-2027-ar-klara/';
const NEW = 'sv/2026/01/20/hamnavgifterna-for-2027-hojs-med-tva-procent/';
const WITHDRAWN = 'sv/2026/02/10/nya-laddplatser-pa-gastkajen/';

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
let out: string;
const project = fixtureProject('press');

beforeAll(async () => {
  browser = await launchChromium();
  const edit = (rel: string, from: string, to: string) => {
    const file = path.join(project.dir, rel);
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
  };
  // Published, then the title edited and another release withdrawn.
  expect((await build(project.dir, { now: NOW })).ok).toBe(true);
  edit(FEES, 'är klara', 'höjs med två procent');
  edit('releases/2026/2026-02-10-laddplatser.sv.md', 'type: news\n', 'type: news\nwithdrawn: true\n');
  const result = await build(project.dir, { now: NOW, search: true });
  expect(result.ok).toBe(true);
  expect(result.redirects).toEqual([{ from: `/${OLD}`, to: `/${NEW}`, fresh: true }]);
  out = path.join(project.dir, 'public');
  site = await serveStatic(out);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  project.cleanup();
});

describe('the press pages in a real browser (headless Chromium)', () => {
  it('have no serious or critical accessibility problems (axe-core) and no console errors', async () => {
    for (const p of [
      'sv/2026/03/02/elfarjan-borjar-ga-i-maj/',
      'en/2026/03/02/the-electric-ferry-starts-in-may/',
      WITHDRAWN,
      'sv/contacts/',
      'en/contacts/',
    ]) {
      const { page, errors, close } = await openPage(browser, site.url + p);
      expect(await axe(page), p).toEqual([]);
      expect(errors, p).toEqual([]);
      await close();
    }
  });

  it('shows the corrections as a note before the text', async () => {
    const { page, close } = await openPage(
      browser,
      `${site.url}en/2026/03/02/the-electric-ferry-starts-in-may/`,
    );
    const note = page.getByRole('note', { name: 'Corrections' });
    expect((await note.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      'Correction 8 December 2026: The ferry takes 40 cars, not 400.',
    );
    await close();
  });

  it('sends an old address on to the new one, and the redirect page itself passes axe', async () => {
    const { page, errors, close } = await openPage(browser, site.url + OLD);
    await page.waitForURL(site.url + NEW);
    expect(await page.locator('h1').textContent()).toBe('Hamnavgifterna för 2027 höjs med två procent');
    expect(errors).toEqual([]);
    // The redirect page as it is, held still (without its refresh) for axe.
    const html = readFileSync(path.join(out, OLD, 'index.html'), 'utf8');
    expect(html).toContain('http-equiv="refresh"');
    await page.route(site.url + OLD, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: html.replace(/<meta http-equiv="refresh"[^>]*>/, ''),
      }),
    );
    await page.goto(site.url + OLD);
    expect(await page.locator('h1').textContent()).toBe('Sidan har flyttats');
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('finds the moved release at its new address, and nothing of the withdrawn one', async () => {
    const { page, close } = await openPage(browser, `${site.url}sv/search/?q=hamnavgifterna`);
    const hit = page.locator('.pagefind-ui__result-link').first();
    await hit.waitFor();
    expect(await hit.getAttribute('href')).toContain(NEW);
    await page.locator('.pagefind-ui__search-input').fill('blåsippeknopp');
    await page
      .locator('.pagefind-ui__message')
      .filter({ hasText: /blåsippeknopp/ })
      .waitFor();
    expect(await page.locator('.pagefind-ui__result').count()).toBe(0);
    await close();
  });
});
