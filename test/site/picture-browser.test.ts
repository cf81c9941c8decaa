import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photo } from '../assets/images.js';
import { axe, launchChromium } from '../helpers/browser.js';
import { build, fixtureProject, serveStatic } from './helpers.js';

const HERO = 'releases/2026/2026-03-02-elfarjan-borjar-ga-i-maj.sv.md';
const PAGE = 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/';

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  const project = fixtureProject('basic');
  cleanups.push(project.cleanup);
  // A photo wide enough for every candidate (480 to 1600 px) as the Swedish ferry release's hero.
  await photo(2000, 1300).jpeg().toFile(path.join(project.dir, 'releases/images/hamn.jpg'));
  const file = path.join(project.dir, HERO);
  writeFileSync(file, readFileSync(file, 'utf8').replace('../images/farja.png', '../images/hamn.jpg'));
  expect((await build(project.dir)).ok).toBe(true);
  site = await serveStatic(path.join(project.dir, 'public'));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  for (const c of cleanups) c();
});

describe("the hero's <picture> in Chromium", () => {
  // The column is the screen less 2.5rem on a phone, 42rem (672 px) from 44.5rem up: at 1× the
  // narrowest candidate at least that wide, in the best format Chromium decodes (AVIF).
  it.each([
    [375, 480],
    [1280, 800],
  ])('at %i px wide loads the %i px AVIF, and passes axe', async (width, candidate) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.goto(site.url + PAGE, { waitUntil: 'load' });
      const img = page.locator('.release__image img');
      const loaded = await img.evaluate((e: HTMLImageElement) => ({
        src: e.currentSrc,
        complete: e.complete,
        natural: e.naturalWidth,
      }));
      expect(loaded.src).toMatch(new RegExp(`/assets/images/hamn-[0-9a-f]{10}-${candidate}\\.avif$`));
      // Decoded (its natural width is the candidate's, scaled to the slot by its density).
      expect(loaded.complete).toBe(true);
      expect(loaded.natural).toBeGreaterThan(0);
      expect(await axe(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the thumbnails in the lists, in Chromium', () => {
  // A thumbnail is 96 CSS px wide on a phone: at 2× the 320 px WebP. A release without a hero keeps
  // its text alone.
  it.each(['sv/', 'sv/archive/', 'sv/topics/trafik/'])(
    '%s at 375 px (2×) loads the 320 px WebP lazily, and passes axe',
    async (list) => {
      const context = await browser.newContext({
        viewport: { width: 375, height: 800 },
        deviceScaleFactor: 2,
      });
      try {
        const page = await context.newPage();
        await page.goto(site.url + list, { waitUntil: 'load' });
        const entry = page.locator('.entry', { hasText: 'Elfärjan börjar gå i maj' });
        const img = entry.locator('.entry__thumb img');
        await img.scrollIntoViewIfNeeded();
        await img.evaluate((e: HTMLImageElement) => e.decode());
        const loaded = await img.evaluate((e: HTMLImageElement) => ({
          src: e.currentSrc,
          natural: e.naturalWidth,
          shown: e.getBoundingClientRect().width,
          alt: e.alt,
          loading: e.loading,
        }));
        // The 320 px file at density 2: its natural width is 160 CSS px.
        expect(loaded).toMatchObject({ alt: '', loading: 'lazy', shown: 96, natural: 160 });
        expect(loaded.src).toMatch(/\/assets\/images\/hamn-[0-9a-f]{10}-320x213\.webp$/);
        expect(await page.locator('.entry:not(.entry--thumb) img').count()).toBe(0);
        expect(await axe(page)).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});

describe('the media bank in Chromium', () => {
  it.each([375, 1280])('at %i px shows each thumbnail, and passes axe', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}sv/images/`, { waitUntil: 'load' });
      const imgs = page.locator('.media__thumb img');
      expect(await imgs.count()).toBeGreaterThan(0);
      for (const img of await imgs.all()) {
        await img.scrollIntoViewIfNeeded();
        await img.evaluate((e: HTMLImageElement) => e.decode());
        expect(await img.evaluate((e: HTMLImageElement) => e.currentSrc)).toMatch(/-160x107\.webp$/);
      }
      expect(await axe(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
