import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preview } from '../../src/dev/preview.js';
import { launchChromium } from '../helpers/browser.js';
import { previewProject } from '../helpers/preview.js';
import { NOW, project, type Project } from './helpers.js';

describe("the preview's newsletter view", () => {
  let browser: Browser;
  let p: Project;
  let preview: Preview;
  beforeAll(async () => {
    browser = await launchChromium();
    p = project();
    preview = await previewProject(p.dir, NOW);
  });
  afterAll(async () => {
    await preview?.close();
    await browser?.close();
    p?.cleanup();
  });

  it('shows the images from the preview itself, not from the site that is not deployed yet', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const url = `${preview.url}_scs/email/sv/umea-lagrar-sommarvarme-i-gamla-bergrum/?list=nyheter`;
    expect((await page.goto(url, { waitUntil: 'load' }))?.status()).toBe(200);
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      const images = await frame.$$eval('img', (list) =>
        list.map((i) => ({ src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0 })),
      );
      expect(images).toEqual([
        { src: expect.stringMatching(/^\/assets\/images\/bergrum-[0-9a-f]+\.jpg$/), loaded: true },
      ]);
    }
    expect(requested.filter((u) => !u.startsWith(preview.url) && !u.startsWith('about:'))).toEqual([]);
    // What the reader gets is unchanged: the headers of the real message name the published archive.
    expect(await page.locator('table').textContent()).toContain('https://press.stadslabbet.example/');
    await page.close();
  });
});
