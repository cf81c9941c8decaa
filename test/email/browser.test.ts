import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmailPreview } from '../../src/email/preview.js';
import { fillSlots, sampleRecipient } from '../../src/email/sample.js';
import { REPO } from '../helpers/scs.js';
import { BERGRUM_SV, ELCYKEL_SV, project, releaseFile, renderOk, type Project } from './helpers.js';

const IMAGE = readFileSync(path.join(REPO, 'releases/images/bergrum.jpg'));

/** Pages may not reach the network: images are answered locally, everything else is refused. */
async function offline(page: Page) {
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url === 'about:blank' || url.startsWith('about:srcdoc'))
      return route.continue();
    if (route.request().resourceType() === 'image')
      return route.fulfill({ status: 200, contentType: 'image/jpeg', body: IMAGE });
    return route.abort();
  });
}

describe('the HTML email in Chromium', () => {
  let browser: Browser;
  let p: Project;
  beforeAll(async () => {
    browser = await launchChromium();
    p = project();
    p.write(
      'releases/2026/2026-11-05-bred.sv.md',
      releaseFile(
        {
          title: 'Ett mejl med breda saker och en mycket lång rubrik som måste radbrytas snyggt',
          date: '2026-11-05',
          lang: 'sv',
          lead: 'Ingress.',
        },
        [
          'En adress utan mellanslag: https://www.stadslabbet.example/rapporter/2026/en-mycket-lang-adress-som-inte-far-bryta-layouten-i-mobilen/bilaga.pdf',
          '',
          '![Stor bild](https://www.stadslabbet.example/bilder/stor.jpg)',
          '',
          '| Kolumn ett | Kolumn två | Kolumn tre | Kolumn fyra |',
          '|---|---|---|---|',
          '| Värmelagringskapacitet | 180 000 kubikmeter | 40 megawatt | under tio procent |',
          '',
          '```',
          'en_mycket_lang_kodrad_utan_mellanslag_som_annars_skulle_tvinga_fram_horisontell_rullning()',
          '```',
        ].join('\n'),
      ),
    );
  });
  afterAll(async () => {
    // Only what beforeAll made before it stopped (as for a missing browser).
    await browser?.close();
    p?.cleanup();
  });

  for (const id of [
    BERGRUM_SV,
    ELCYKEL_SV,
    'sv/ett-mejl-med-breda-saker-och-en-mycket-lang-rubrik-som-maste-radbrytas-snyggt',
  ]) {
    it(`fits 375 px and 800 px without horizontal scrolling: ${id}`, async () => {
      const { config, release } = await p.load();
      const template = await renderOk(config, release(id), 'nyheter');
      const { html } = fillSlots(template, sampleRecipient(config, 'sv'));
      for (const width of [375, 800]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await offline(page);
        await page.setContent(html, { waitUntil: 'load' });
        const m = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          images: [...document.images].map((i) => ({ alt: i.alt, w: i.getBoundingClientRect().width })),
          text: document.body.textContent ?? '',
        }));
        expect(m.scrollWidth, `${id} at ${width}px`).toBeLessThanOrEqual(m.innerWidth);
        for (const img of m.images) {
          expect(img.alt).not.toBe('');
          expect(img.w).toBeLessThanOrEqual(width);
        }
        expect(m.text).toContain('Avsluta prenumerationen');
        await page.close();
      }
    });
  }

  it('shows the preview page: the email at 375 and 800 px, the text part and the headers', async () => {
    const { config, release } = await p.load();
    const html = await renderEmailPreview(config, release(BERGRUM_SV));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await offline(page);
    await page.setContent(html, { waitUntil: 'load' });
    const frames = await page.$$eval('iframe', (list) =>
      list.map((f) => ({ w: f.clientWidth, title: f.title })),
    );
    expect(frames.map((f) => Math.round(f.w))).toEqual([375, 800]);
    expect(frames.map((f) => f.title)).toEqual(['Mobil (375 px)', 'Dator (800 px)']);
    const inner = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await inner.evaluate(() => document.querySelector('h1')?.textContent)).toBe(
      'Umeå lagrar sommarvärme i gamla bergrum',
    );
    const text = await page.locator('pre').textContent();
    expect(text).toContain('För mer information, kontakta:');
    const headers = await page.locator('table').textContent();
    expect(headers).toContain('List-Unsubscribe-Post');
    expect(headers).toContain('Umeå lagrar sommarvärme i gamla bergrum');
    await page.close();
  });

  it('shows the problems instead when the email cannot be made', async () => {
    p.write(
      'releases/2026/2026-11-06-utan-alt.sv.md',
      releaseFile({ title: 'Utan alt', date: '2026-11-06', lang: 'sv' }, '![](https://x.example/a.jpg)'),
    );
    const { config, release } = await p.load();
    const html = await renderEmailPreview(config, release('sv/utan-alt'));
    expect(html).toContain('email-image-alt-missing');
    expect(html).not.toContain('<iframe');
  });
});
