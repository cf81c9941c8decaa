import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNewsletter } from '../../src/email/render.js';
import { ImageRegistry } from '../../src/site/images.js';
import { BERGRUM_SV, NOW, project, releaseFile, type Project } from './helpers.js';

const base = { date: '2026-11-02', lang: 'sv', type: 'news' };

describe('checks that stop a bad email', () => {
  let p: Project;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => p.cleanup());

  const render = async (
    slug: string,
    fields: Record<string, string>,
    body: string,
    file = `releases/2026/2026-11-02-${slug}.sv.md`,
  ) => {
    p.write(file, releaseFile({ ...base, ...fields }, body));
    const { config, release } = await p.load();
    return renderNewsletter(config, release(`sv/${slug}`), { listId: 'nyheter', now: NOW });
  };
  const summary = (r: { diagnostics: { code: string; severity: string; line?: number }[] }) =>
    r.diagnostics.map((d) => `${d.severity} ${d.code}${d.line ? `@${d.line}` : ''}`);

  it('clips: an error over 102 KB of HTML, a warning from 90 KB', async () => {
    const paragraph = (i: number) =>
      `Stycke ${i}: ${'Värmelagret i berget håller jämn temperatur under hela vintern. '.repeat(7)}`;
    const sized = async (slug: string, n: number) =>
      render(
        slug,
        { title: `Storlek ${slug}`, slug, lead: 'Kort ingress.' },
        Array.from({ length: n }, (_, i) => paragraph(i)).join('\n\n'),
      );
    const small = await sized('s10', 10);
    const larger = await sized('s20', 20);
    const perParagraph = (larger.template!.htmlBytes - small.template!.htmlBytes) / 10;
    const count = (bytes: number) => Math.ceil(10 + (bytes - small.template!.htmlBytes) / perParagraph);

    const warned = await sized('warn', count(96 * 1024));
    expect(warned.template).toBeDefined();
    expect(warned.template!.htmlBytes).toBeGreaterThan(90 * 1024);
    expect(warned.template!.htmlBytes).toBeLessThan(102 * 1024);
    expect(summary(warned)).toEqual(['warning email-html-large@9']);

    const clipped = await sized('clip', count(110 * 1024));
    expect(clipped.template).toBeUndefined();
    expect(summary(clipped)).toEqual(['error email-html-too-large@9']);
    expect(clipped.diagnostics[0]!.file).toBe('releases/2026/2026-11-02-clip.sv.md');
    expect(clipped.diagnostics[0]!.message).toMatch(/Gmail clips/);
  });

  it('finds images without alt text and unusable image and link URLs, with their lines', async () => {
    p.write('releases/2026/karta.png', 'not really a png');
    const r = await render(
      'lankar',
      {
        title: 'Länkar',
        lead: 'Ingress med [relativ länk](2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md).',
      },
      [
        'Första stycket.', // line 9: the frontmatter has five fields (lead on line 6)
        '',
        '![](karta.png)', // 11
        '',
        '![Saknas](finns-inte.png)', // 13
        '',
        'Se [ftp-arkivet](ftp://arkiv.example/fil) och [sidan](/releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md).', // 15
        '',
        '<img src="https://x.example/a.png"> och <a href="/relativ">rå länk</a>', // 17
      ].join('\n'),
    );
    expect(r.template).toBeUndefined();
    expect(summary(r)).toEqual([
      'error email-image-alt-missing@11',
      'error email-image-missing@13',
      'error email-link-invalid@15',
      'error email-image-alt-missing@17',
      'error email-raw-url-invalid@17',
    ]);
  });

  it('resolves links to other releases to their pages, without a warning, and local images to the published copy', async () => {
    // An SVG, which the site publishes as it is (sanitised): a raster file would show its email copy, and
    // one that is not an image would be left out (rejected-image.e2e.test.ts).
    const image = p.write(
      'releases/2026/karta.svg',
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>',
    );
    const r = await render(
      'relativt',
      { title: 'Relativt' },
      'Läs [den förra](sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret) nyheten.\n\n![Karta över Ålidhem](karta.svg)',
    );
    expect(summary(r)).toEqual([]);
    expect(r.template!.html).toContain(
      'href="https://press.stadslabbet.example/sv/2026/09/02/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret/"',
    );
    const published = new ImageRegistry({}).get(image)!.out;
    expect(r.template!.html).toContain(
      `src="https://press.stadslabbet.example/${published}" alt="Karta över Ålidhem"`,
    );
  });

  it('shows an https logo, and warns about a local one (the site does not publish it)', async () => {
    const config = readFileSync(path.join(p.dir, 'scs.config.yml'), 'utf8');
    const withLogo = (logo: string) =>
      config.replace(
        '  url: https://www.stadslabbet.example\n',
        `  url: https://www.stadslabbet.example\n  logo: ${logo}\n`,
      );
    p.write('scs.config.yml', withLogo('https://www.stadslabbet.example/logo.png'));
    const remote = await p.load();
    const a = await renderNewsletter(remote.config, remote.release(BERGRUM_SV), { listId: 'nyheter' });
    expect(a.template!.html).toMatch(
      /<img\s+alt="Stadslabbet Norrsken" src="https:\/\/www\.stadslabbet\.example\/logo\.png"/,
    );
    p.write('scs.config.yml', withLogo('images/logo.png'));
    const local = await p.load();
    const b = await renderNewsletter(local.config, local.release(BERGRUM_SV), { listId: 'nyheter' });
    expect(b.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}`)).toEqual([
      'warning email-logo-local scs.config.yml:6',
    ]);
    expect(b.template!.html).not.toContain('logo.png');
  });

  it('stops subjects with line breaks or over 150 characters', async () => {
    // scs check stops such a title first (title-line-break); this is the email's own guard.
    p.write(
      `releases/2026/2026-11-02-rad.sv.md`,
      releaseFile({ ...base, title: 'Två rader', slug: 'rad' }, 'Text.'),
    );
    const { config, release } = await p.load();
    const twoLines = { ...release('sv/rad'), title: 'Två\nrader' };
    const broken = await renderNewsletter(config, twoLines, { listId: 'nyheter', now: NOW });
    expect(summary(broken)).toEqual(['error email-subject-line-break@5']);
    const long = await render('lang', { title: 'Ord '.repeat(40).trim(), slug: 'lang' }, 'Text.');
    expect(summary(long)).toEqual(['error email-subject-too-long@5']);
    expect(long.diagnostics[0]!.message).toContain('159 characters');
  });

  it('reports MJML validation errors in a project template, strictly', async () => {
    p.write(
      'templates/email/partials/hero.mjml.hbs',
      '<mj-image src="{{hero.url}}" alt="{{hero.alt}}" colour="red" />\n<mj-text>{{hero.credit}}</mj-text>\n',
    );
    const { config, release } = await p.load();
    const r = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyheter' });
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['email-mjml-invalid']);
    expect(r.diagnostics[0]!.message).toMatch(
      /Attribute colour is illegal \(<mj-image>, line \d+ of the generated MJML/,
    );
    expect(r.diagnostics[0]!.file).toBe('templates/email/partials/hero.mjml.hbs');
  });

  it('reports Handlebars syntax errors with the template file and line', async () => {
    p.write(
      'templates/email/partials/footer.mjml.hbs',
      '<mj-section>\n<mj-column>\n{{#if x}}\n</mj-column>\n</mj-section>\n',
    );
    const { config, release } = await p.load();
    const r = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyheter' });
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['email-template-invalid', 'templates/email/partials/footer.mjml.hbs'],
    ]);
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it('takes project overrides of templates and strings', async () => {
    p.write(
      'templates/email/strings/sv.json',
      '{ "readOnWeb": "Öppna i webbläsaren", "unknown": "ignored" }',
    );
    p.write(
      'templates/email/partials/footer.mjml.hbs',
      '<mj-section><mj-column><mj-text>Egen sidfot. <a href="{{footer.unsubscribeUrl}}">{{strings.unsubscribe}}</a></mj-text></mj-column></mj-section>\n',
    );
    const { config, release } = await p.load();
    const r = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyheter' });
    expect(r.diagnostics).toEqual([]);
    expect(r.template!.html).toContain('Öppna i webbläsaren');
    expect(r.template!.html).toContain('Egen sidfot.');
    expect(r.template!.html).toContain(`href="${r.template!.markers.unsubscribe}"`);
    expect(r.template!.text).toContain('Öppna i webbläsaren: https://');

    p.write('templates/email/strings/sv.json', '{ "readOnWeb": ');
    const broken = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyheter' });
    expect(broken.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['email-strings-invalid', 'templates/email/strings/sv.json'],
    ]);
  });

  it('refuses unknown lists and lists in another language', async () => {
    const { config, release } = await p.load();
    const unknown = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyhter' });
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['email-list-unknown']);
    expect(unknown.diagnostics[0]!.hint).toContain('Did you mean "nyheter"?');
    const wrong = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'news' });
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(['email-list-language']);
  });
});
