import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScsError } from '../../src/core/diagnostic.js';
import { personalize } from '../../src/email/personalize.js';
import { renderNewsletter } from '../../src/email/render.js';
import type { MessageTemplate } from '../../src/email/types.js';
import {
  BERGRUM_SV,
  NOW,
  parse,
  project,
  rawHeaderLines,
  releaseFile,
  renderOk,
  type Project,
} from './helpers.js';

const URL_OK = 'https://press.stadslabbet.example/newsletter/unsubscribe?token=abc';

describe('header injection', () => {
  let p: Project;
  let template: MessageTemplate;
  beforeAll(async () => {
    p = project();
    const { config, release } = await p.load();
    template = await renderOk(config, release(BERGRUM_SV), 'nyheter');
  });
  afterAll(() => p.cleanup());

  it('rejects a title with CR/LF: no subject line may carry it', async () => {
    p.write(
      'releases/2026/2026-11-03-injektion.sv.md',
      releaseFile({ title: 'Rubrik', slug: 'injektion', date: '2026-11-03', lang: 'sv' }, 'Text.'),
    );
    // scs check stops such a title first (title-line-break); this is the email's own guard.
    const { config, release } = await p.load();
    const injected = { ...release('sv/injektion'), title: 'Rubrik\r\nBcc: victim@example.com' };
    const r = await renderNewsletter(config, injected, { listId: 'nyheter' });
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['email-subject-line-break@2']);
  });

  it('rejects a contact whose name carries a line break, pointing at the file', async () => {
    p.write(
      'releases/2026/2026-11-04-kontakt.sv.md',
      [
        '---',
        'title: Kontakt med radbrytning',
        'date: 2026-11-04',
        'lang: sv',
        'contacts:',
        '  - name: "Eva Ek\\r\\nBcc: victim@example.com"',
        '    email: eva@example.org',
        '---',
        '',
        'Text.',
        '',
      ].join('\n'),
    );
    const { config, release } = await p.load();
    const r = await renderNewsletter(config, release('sv/kontakt-med-radbrytning'), { listId: 'nyheter' });
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ['email-contact-line-break', 'releases/2026/2026-11-04-kontakt.sv.md', 6],
    ]);
  });

  it('rejects line breaks in configured header texts (sender name, list name)', async () => {
    const q = project();
    try {
      const file = path.join(q.dir, 'scs.config.yml');
      q.write(
        'scs.config.yml',
        readFileSync(file, 'utf8').replace(
          '    name: Stadslabbet Norrsken\n    email: press@',
          '    name: "Stadslabbet\\nBcc: x@example.com"\n    email: press@',
        ),
      );
      const { config, release } = await q.load();
      const r = await renderNewsletter(config, release(BERGRUM_SV), { listId: 'nyheter' });
      expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
        ['email-header-line-break', 'scs.config.yml'],
      ]);
    } finally {
      q.cleanup();
    }
  });

  it("strips line breaks and control characters from a subscriber's name", async () => {
    const { raw } = personalize(
      template,
      {
        email: 'eve@example.org',
        name: 'Eve\r\nBcc: victim@example.com\r\n\r\n<script>x</script>\u0000',
        unsubscribeUrl: URL_OK,
      },
      { now: NOW },
    );
    const headers = rawHeaderLines(raw);
    expect(headers.filter((h) => /^bcc:/i.test(h))).toEqual([]);
    expect(headers.filter((h) => h.startsWith('To:'))).toHaveLength(1);
    const mail = await parse(raw);
    expect(mail.bcc).toBeUndefined();
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value : [];
    expect(to).toEqual([
      { address: 'eve@example.org', name: 'Eve Bcc: victim@example.com <script>x</script>' },
    ]);
    expect(mail.html).toContain(
      'Eve Bcc: victim@example.com &lt;script&gt;x&lt;/script&gt; &lt;eve@example.org&gt;',
    );
    expect(mail.html).not.toContain('<script>');
  });

  it('refuses recipient addresses and unsubscribe URLs that could break a header', () => {
    const attempt = (email: string, unsubscribeUrl = URL_OK) => {
      try {
        personalize(template, { email, unsubscribeUrl }, { now: NOW });
        return 'sent';
      } catch (e) {
        return e instanceof ScsError ? e.diagnostics[0]!.code : String(e);
      }
    };
    expect(attempt('a@example.org\r\nBcc: victim@example.com')).toBe('email-recipient-invalid');
    expect(attempt('"Someone" <a@example.org>')).toBe('email-recipient-invalid');
    expect(attempt('a@example.org', `${URL_OK}\r\nBcc: victim@example.com`)).toBe('email-recipient-invalid');
    expect(attempt('a@example.org', 'javascript:alert(1)')).toBe('email-recipient-invalid');
    expect(attempt('a@example.org', 'https://x.example/u?t=a>b')).toBe('email-recipient-invalid');
    expect(attempt('a+tag@sub.example.org')).toBe('sent');
    expect(attempt('åsa@example.org')).toBe('email-recipient-invalid');
  });

  it('writes an internationalised domain in its ASCII form', async () => {
    const m = personalize(
      template,
      { email: 'asa@räksmörgås.example', unsubscribeUrl: URL_OK },
      { now: NOW },
    );
    expect(m.envelopeTo).toBe('asa@xn--rksmrgs-5wao1o.example');
    expect(rawHeaderLines(m.raw)).toContain('To: <asa@xn--rksmrgs-5wao1o.example>');
  });
});
