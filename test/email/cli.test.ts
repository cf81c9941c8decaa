import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScs } from '../helpers/scs.js';
import { BERGRUM_SV, parse, project, releaseFile, type Project } from './helpers.js';

describe('scs email', () => {
  let p: Project;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => p.cleanup());

  it('writes .html, .txt and a complete .eml for a release named by id, and prints sizes and subject', async () => {
    const r = runScs(['email', BERGRUM_SV, '--now', '2026-10-14T09:30'], { cwd: p.dir });
    expect(r.stderr).toContain('Subject: Umeå lagrar sommarvärme i gamla bergrum');
    expect(r.code).toBe(0);
    const base = path.join(p.dir, '.scs/email/sv-umea-lagrar-sommarvarme-i-gamla-bergrum.nyheter');
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\.scs\/email\/sv-umea-lagrar-sommarvarme-i-gamla-bergrum\.nyheter\.html {2}\d+\.\d KB$/,
      ),
      expect.stringMatching(/\.txt {2}\d+\.\d KB$/),
      expect.stringMatching(/\.eml {2}\d+\.\d KB$/),
    ]);
    expect(r.stderr).toMatch(
      /List: nyheter\. HTML \d+\.\d KB \(Gmail clips over 102 KB\), text \d+\.\d KB, message \d+\.\d KB\./,
    );
    const mail = await parse(readFileSync(`${base}.eml`));
    expect(mail.subject).toBe('Umeå lagrar sommarvärme i gamla bergrum');
    expect(mail.date?.toISOString()).toBe('2026-10-14T07:30:00.000Z');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { address: 'sample.recipient@example.com', name: 'Alex Exempel' },
    ]);
    const list = mail.headers.get('list') as unknown as { unsubscribe: { url: string } };
    expect(list.unsubscribe.url).toBe(
      'https://press.stadslabbet.example/newsletter/unsubscribe?token=SAMPLE-TOKEN-NOT-VALID',
    );
    // The same email, but for where its images are shown (see the test of local images below).
    const noSrc = (html: string) => html.replace(/ src="[^"]*"| srcset="[^"]*" sizes="[^"]*"/g, '');
    expect(noSrc(readFileSync(`${base}.html`, 'utf8'))).toBe(noSrc(mail.html as string));
    expect(mail.text).toBe(readFileSync(`${base}.txt`, 'utf8'));
    expect(readdirSync(path.dirname(base)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('shows local images in the .html from the files themselves, while the .eml keeps the published URLs', async () => {
    p.write(
      'releases/2026/2026-10-15-karta.sv.md',
      releaseFile(
        {
          title: 'Karta över bergrummen',
          date: '2026-10-15',
          lang: 'sv',
          image: '{ src: ../images/bergrum.jpg, alt: Bergrummet }',
        },
        'Brödtext.\n\n![Karta över bergrummen](/releases/images/bergrum.jpg)\n',
      ),
    );
    const r = runScs(
      ['email', 'sv/karta-over-bergrummen', '--out', 'granska/mejl', '--now', '2026-10-15T09:30'],
      {
        cwd: p.dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const base = path.join(p.dir, 'granska/mejl/sv-karta-over-bergrummen.nyheter');
    const html = readFileSync(`${base}.html`, 'utf8');
    const sources = [...html.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(2);
    for (const src of sources) {
      expect(src).not.toMatch(/^https?:/);
      expect(existsSync(path.resolve(path.dirname(base), decodeURIComponent(src))), src).toBe(true);
    }
    expect(path.resolve(path.dirname(base), sources[0]!)).toBe(
      path.join(p.dir, 'releases/images/bergrum.jpg'),
    );
    expect(html).not.toContain('https://press.stadslabbet.example/assets/');
    const mail = await parse(readFileSync(`${base}.eml`));
    const published = [...(mail.html as string).matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    // The published site's 600 px copy (assets/email.ts).
    expect(published).toEqual([
      expect.stringMatching(
        /^https:\/\/press\.stadslabbet\.example\/assets\/images\/bergrum-[0-9a-f]+-600\.jpg$/,
      ),
      expect.stringMatching(
        /^https:\/\/press\.stadslabbet\.example\/assets\/images\/bergrum-[0-9a-f]+-600\.jpg$/,
      ),
    ]);
  });

  it('takes a path, picks the translation with --lang and writes to --out', async () => {
    const r = runScs(
      [
        'email',
        'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md',
        '--lang',
        'en',
        '--out',
        'inspect',
      ],
      { cwd: p.dir },
    );
    expect(r.code).toBe(0);
    const eml = path.join(p.dir, 'inspect/en-umea-stores-summer-heat-in-old-rock-caverns.news.eml');
    const mail = await parse(readFileSync(eml));
    expect(mail.subject).toBe('Umeå stores summer heat in old rock caverns');
    expect(mail.text).toContain(
      'Unsubscribe: https://press.stadslabbet.example/newsletter/unsubscribe?token=SAMPLE-TOKEN-NOT-VALID',
    );
  });

  it('says which release it does not know, with a suggestion (exit 2)', () => {
    const r = runScs(['email', 'sv/umea-lagrar'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No release "sv/umea-lagrar".');
    expect(r.stderr).toContain(`Did you mean "${BERGRUM_SV}"?`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses an unknown list or a list in another language (exit 2)', () => {
    const unknown = runScs(['email', BERGRUM_SV, '--list', 'nyhter'], { cwd: p.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "nyheter"?');
    const other = runScs(['email', BERGRUM_SV, '--list', 'news'], { cwd: p.dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('Add --lang en');
  });

  it('prints the diagnostics and writes nothing when the email has errors (exit 1)', () => {
    p.write(
      'releases/2026/2026-11-07-bild.sv.md',
      releaseFile(
        { title: 'Bild utan text', date: '2026-11-07', lang: 'sv' },
        'Text.\n\n![](https://x.example/a.jpg)',
      ),
    );
    const r = runScs(['email', 'sv/bild-utan-text'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('releases/2026/2026-11-07-bild.sv.md:9:');
    expect(r.stderr).toContain('[email-image-alt-missing]');
    expect(r.stderr).toContain('No email written');
    expect(existsSync(path.join(p.dir, '.scs/email'))).toBe(false);
  });

  it('shows the validation errors of a broken release file instead of "unknown release" (exit 1)', () => {
    p.write(
      'releases/2026/2026-11-08-trasig.sv.md',
      '---\ntitle: Trasig\ndate: 2026-13-45\nlang: sv\n---\n\nText.\n',
    );
    const r = runScs(['email', 'releases/2026/2026-11-08-trasig.sv.md'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('releases/2026/2026-11-08-trasig.sv.md:3');
  });

  it('reports an unreadable DKIM key as a configuration error (exit 2)', () => {
    const r = runScs(['email', BERGRUM_SV], {
      cwd: p.dir,
      env: { SCS_DKIM_PRIVATE_KEY: 'missing/dkim.pem' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[email-dkim-key-unreadable]');
  });
});
