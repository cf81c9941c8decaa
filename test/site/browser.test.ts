import path from 'node:path';
import type { Browser } from 'playwright-core';
import { axe, launchChromium, openPage } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, fixtureProject, serveStatic } from './helpers.js';

const FERRY = 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/';

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
let xssSite: { url: string; close: () => Promise<void> };
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  // First: without a browser nothing else is worth making.
  browser = await launchChromium();
  const basic = fixtureProject('basic');
  const xss = fixtureProject('xss');
  cleanups.push(basic.cleanup, xss.cleanup);
  expect((await build(basic.dir, { search: true })).ok).toBe(true);
  expect((await build(xss.dir, { search: true })).ok).toBe(true);
  site = await serveStatic(path.join(basic.dir, 'public'));
  xssSite = await serveStatic(path.join(xss.dir, 'public'));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await xssSite?.close();
  for (const c of cleanups) c();
});

/** Opens a page and collects what would show up as errors in the browser's console. */
const open = (url: string, options: { javaScriptEnabled?: boolean } = {}) => openPage(browser, url, options);

describe('the archive in a real browser (headless Chromium)', () => {
  it('loads every kind of page without console errors', async () => {
    const pages = [
      'sv/',
      'en/',
      FERRY,
      'en/2026/03/02/the-electric-ferry-starts-in-may/',
      'sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/',
      'sv/archive/',
      'sv/archive/page/2/',
      'sv/archive/2025/',
      'sv/archive/news/',
      'sv/topics/',
      'sv/topics/miljo/',
      'sv/search/',
      'en/search/',
      'no/such/page/',
    ];
    for (const p of pages) {
      const { page, errors, close } = await open(site.url + p);
      if (p === 'no/such/page/')
        expect(await page.locator('h1').first().textContent()).toBe('Sidan finns inte');
      else expect(await page.locator('h1').count(), p).toBeGreaterThan(0);
      expect(
        errors.filter((e) => !(p === 'no/such/page/' && e.includes('404'))),
        p,
      ).toEqual([]);
      await close();
    }
  });

  it('sends the root on to the default language', async () => {
    const { page, errors, close } = await open(site.url);
    await page.waitForURL(`${site.url}sv/`);
    expect(errors).toEqual([]);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await close();
  });

  it('has no serious or critical accessibility problems (axe-core) on release, archive, front and search pages', async () => {
    for (const p of [
      FERRY,
      'sv/archive/',
      'en/',
      'sv/search/?q=färja',
      'sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/',
    ]) {
      const { page, close } = await open(site.url + p);
      if (p.includes('search')) await page.locator('.pagefind-ui__result').first().waitFor();
      expect(await axe(page), p).toEqual([]);
      await close();
    }
  });

  it('finds releases with the offline search, from the search page and from the header form', async () => {
    const { page, errors, close } = await open(`${site.url}sv/search/?q=elfärjan`);
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor();
    expect(await result.textContent()).toBe('Elfärjan börjar gå i maj');
    await result.click();
    await page.waitForURL(site.url + FERRY);
    // The header form leads to the search page with the query filled in.
    await page.locator('#site-search-q').fill('laddplatser');
    await page.locator('.site-search button').click();
    await page.waitForURL(/\/sv\/search\/\?q=laddplatser$/);
    const hit = page.locator('.pagefind-ui__result-link').first();
    await hit.waitFor();
    expect(await hit.textContent()).toBe('Nya laddplatser på gästkajen & i småbåtshamnen');
    // Drafts were never indexed.
    await page.locator('.pagefind-ui__search-input').fill('augusti');
    await page
      .locator('.pagefind-ui__message')
      .filter({ hasText: /augusti/ })
      .waitFor();
    expect(await page.locator('.pagefind-ui__result').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  it('searches each language in its own index', async () => {
    const { page, close } = await open(`${site.url}en/search/?q=ferry`);
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor();
    expect(await result.textContent()).toBe('The electric ferry starts in May');
    expect(await result.getAttribute('href')).toBe('/en/2026/03/02/the-electric-ferry-starts-in-may/');
    await close();
  });

  it('runs none of the script in a release body or its frontmatter', async () => {
    for (const p of [
      'sv/2026/03/10/rubrik-title-script-window-xss-title-script-citat/',
      'sv/',
      'sv/archive/',
      'sv/search/?q=rubrik',
    ]) {
      const { page, dialogs, close } = await open(xssSite.url + p);
      if (p.includes('search')) await page.locator('.pagefind-ui__result').first().waitFor();
      await page.locator('img').evaluateAll((imgs) => {
        for (const i of imgs) i.dispatchEvent(new Event('error'));
      });
      await page.locator('p, b, svg').evaluateAll((els) => {
        for (const e of els) e.dispatchEvent(new MouseEvent('mouseover'));
      });
      // The body's links lost their javascript: and data: targets: clicking them does nothing.
      for (const link of await page.locator('.release__body a').all()) await link.click();
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), p).toBeUndefined();
      expect(dialogs, p).toEqual([]);
      // No event handler attributes and no javascript: URLs made it into the page.
      const unsafe = await page.evaluate(() =>
        // (Pagefind's own search form, with its javascript:void(0) action, is not release content.)
        [...document.querySelectorAll('*')]
          .filter((el) => !el.closest('#search'))
          .flatMap((el) =>
            [...el.attributes]
              // (The page's own "no favicon" link is the one data: URL allowed.)
              .filter(
                (a) =>
                  /^on/i.test(a.name) || (/^\s*(?:javascript|data):/i.test(a.value) && a.value !== 'data:,'),
              )
              .map((a) => `${el.tagName} ${a.name}=${a.value}`),
          ),
      );
      expect(unsafe, p).toEqual([]);
      // Only the page's own scripts: JSON-LD on release pages, the search loader on the search page.
      const scripts = await page.evaluate(() =>
        [...document.scripts].map((s) => s.type || s.src.split('/').pop() || 'inline'),
      );
      for (const s of scripts)
        expect(s, p).toMatch(/^(?:application\/ld\+json|search-[0-9a-f]+\.js|pagefind-ui\.js)$/);
      await close();
    }
    const { page, close } = await open(
      `${xssSite.url}sv/2026/03/10/rubrik-title-script-window-xss-title-script-citat/`,
    );
    expect(await page.title()).toContain("<script>window.__xss = 'title'</script>");
    expect(await page.locator('h1').textContent()).toContain('& "citat"');
    await close();
  });

  it('wraps a long contact address in a 390 px wide column only after "@" or before a dot', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${site.url}sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/`);
    const link = page.locator('.contact__reach a[href^="mailto:maja"]');
    expect((await link.boundingBox())!.width).toBeLessThanOrEqual(390);
    // The text of each rendered line, from the line box of each character.
    const lines = await link.evaluate((a) => {
      const range = document.createRange();
      const out: { top: number; text: string }[] = [];
      const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const top = range.getClientRects()[0]!.top;
          const line = out.at(-1);
          if (line && Math.abs(line.top - top) < 2) line.text += text[i];
          else out.push({ top, text: text[i]! });
        }
      }
      return out.map((l) => l.text);
    });
    expect(lines.join('')).toBe('maja.holm@kommunikationsavdelningen.sjobrisenergiaktiebolaget.example');
    expect(lines.length).toBeGreaterThan(1);
    for (let i = 1; i < lines.length; i++)
      expect(lines[i - 1]!.endsWith('@') || lines[i]!.startsWith('.'), lines.join(' | ')).toBe(true);
    await context.close();
  });

  it('starts search excerpts in the release text, not in the type, date or photo credit', async () => {
    const { page, close } = await open(`${site.url}sv/search/?q=elfärjan`);
    const excerpt = page.locator('.pagefind-ui__result-excerpt').first();
    await excerpt.waitFor();
    const text = (await excerpt.textContent()) ?? '';
    expect(text).not.toMatch(/Pressmeddelande|2026-03-02|Foto|Hamnverket/);
    expect(text).toContain('Elfärjan');
    // The type is still a filter and the date still a detail of the result.
    await expect
      .poll(() => page.locator('.pagefind-ui__filter-name').allTextContents())
      .toEqual(['Typ', 'Ämne']);
    expect(await page.locator('.pagefind-ui__result-tag').first().textContent()).toContain('2026-03-02');
    await close();
  });

  it("shows Pagefind's filter box in the site's look: a plain panel, in the site's font", async () => {
    const { page, close } = await open(`${site.url}sv/search/?q=elfärjan`);
    const panel = page.locator('.pagefind-ui__filter-panel');
    await panel.waitFor();
    const look = await panel.evaluate((el) => {
      const s = getComputedStyle(el);
      const name = getComputedStyle(el.querySelector('.pagefind-ui__filter-name')!);
      return {
        border: s.borderTopStyle,
        background: s.backgroundColor,
        font: name.fontFamily === getComputedStyle(document.body).fontFamily,
        // Not stretched to the height of the results beside it.
        height: el.getBoundingClientRect().height < 200,
      };
    });
    expect(look).toEqual({ border: 'none', background: 'rgb(244, 246, 248)', font: true, height: true });
    await close();
  });

  it('is readable without JavaScript', async () => {
    const { page, close } = await open(site.url + FERRY, { javaScriptEnabled: false });
    expect(await page.locator('h1').textContent()).toBe('Elfärjan börjar gå i maj');
    expect(await page.locator('.contacts').textContent()).toContain('För mer information, kontakta:');
    await close();
    const search = await open(`${site.url}sv/search/`, { javaScriptEnabled: false });
    expect(await search.page.locator('noscript').count()).toBe(1);
    await search.close();
  });
});
