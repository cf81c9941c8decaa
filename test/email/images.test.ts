import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageCacheDir } from '../../src/assets/cache.js';
import { deriveImages } from '../../src/assets/pipeline.js';
import { photo } from '../assets/images.js';
import { BERGRUM_SV, project, type Project, renderOk } from './helpers.js';

describe("the newsletter's images", () => {
  let p: Project;
  let html: string;
  let config: Awaited<ReturnType<Project['load']>>['config'];
  beforeAll(async () => {
    p = project();
    // A camera-sized hero instead of the example's small one.
    writeFileSync(
      path.join(p.dir, 'releases/images/bergrum.jpg'),
      await photo(3000, 2000).jpeg({ quality: 92 }).toBuffer(),
    );
    const loaded = await p.load();
    config = loaded.config;
    await deriveImages(config, loaded.releases);
    html = (await renderOk(config, loaded.release(BERGRUM_SV), 'nyheter')).html;
  });
  afterAll(() => p?.cleanup());

  it('shows the 600 px JPEG of the hero, with the 1200 px one for 2× screens, at absolute URLs', () => {
    const img = /<img\s[^>]*>/.exec(html)![0];
    expect(img).toMatch(
      /src="https:\/\/press\.stadslabbet\.example\/assets\/images\/bergrum-[0-9a-f]{10}-600\.jpg"/,
    );
    expect(img).toMatch(
      /srcset="https:\/\/\S+\/bergrum-[0-9a-f]{10}-600\.jpg 600w, https:\/\/\S+\/bergrum-[0-9a-f]{10}-1200\.jpg 1200w"/,
    );
  });

  it('points only at absolute URLs of files under 200 KB and at most 1200 px wide', async () => {
    const imgs = html.match(/<img\s[^>]*>/g)!;
    const all = [
      ...new Set(
        imgs.flatMap((img) =>
          [...img.matchAll(/\s(?:src|srcset)="([^"]+)"/g)].flatMap((m) =>
            m[1]!.split(',').map((c) => c.trim().split(/\s+/)[0]!),
          ),
        ),
      ),
    ];
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const url of all) {
      expect(url).toMatch(/^https:\/\//);
      const cached = path.join(imageCacheDir(config), path.basename(new URL(url).pathname));
      const bytes = readFileSync(cached);
      expect(bytes.length).toBeLessThan(200 * 1024);
      expect((await sharp(bytes).metadata()).width).toBeLessThanOrEqual(1200);
    }
  });
});
