import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeaderValue } from 'mailparser';
import { personalize } from '../../src/email/personalize.js';
import { fillSlots } from '../../src/email/sample.js';
import type { MessageTemplate } from '../../src/email/types.js';
import {
  BERGRUM_EN,
  BERGRUM_SV,
  NOW,
  parse,
  project,
  rawHeaderLines,
  renderOk,
  type Project,
} from './helpers.js';

const RECIPIENT = {
  email: 'anna.aberg@example.org',
  name: 'Anna Åberg',
  unsubscribeUrl:
    'https://press.stadslabbet.example/newsletter/unsubscribe?token=tok_abc.123-XYZ&list=nyheter',
};

describe('the MIME message', () => {
  let p: Project;
  let sv: MessageTemplate;
  let en: MessageTemplate;
  beforeAll(async () => {
    p = project();
    const { config, release } = await p.load();
    sv = await renderOk(config, release(BERGRUM_SV), 'nyheter');
    en = await renderOk(config, release(BERGRUM_EN), 'news');
  });
  afterAll(() => p.cleanup());

  it('has every header a bulk sender needs, parsed back by mailparser', async () => {
    const { raw, messageId, envelopeFrom } = personalize(sv, RECIPIENT, { now: NOW });
    const mail = await parse(raw);
    expect(mail.from?.value).toEqual([
      { address: 'press@stadslabbet.example', name: 'Stadslabbet Norrsken' },
    ]);
    expect(mail.replyTo?.value).toEqual([{ address: 'karin.holmqvist@stadslabbet.example', name: '' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined).toEqual([
      { address: RECIPIENT.email, name: 'Anna Åberg' },
    ]);
    expect(mail.subject).toBe('Umeå lagrar sommarvärme i gamla bergrum');
    expect(mail.date?.toISOString()).toBe(NOW.toISOString());
    expect(mail.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@stadslabbet\.example>$/);
    expect(envelopeFrom).toBe('press@stadslabbet.example');

    const headers = rawHeaderLines(raw);
    const header = (name: string) =>
      headers.filter((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    expect(header('List-Id')).toEqual([
      'List-Id: =?UTF-8?Q?Nyheter_fr=C3=A5n_Stadslabbet_Norrsken?= <nyheter.stadslabbet.example>',
    ]);
    expect(header('List-Unsubscribe')).toEqual([`List-Unsubscribe: <${RECIPIENT.unsubscribeUrl}>`]);
    expect(header('List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(header('MIME-Version')).toEqual(['MIME-Version: 1.0']);
    expect(header('Content-Language')).toEqual(['Content-Language: sv']);
    const list = mail.headers.get('list') as unknown as Record<string, { url?: string; id?: string }>;
    expect(list.unsubscribe?.url).toBe(RECIPIENT.unsubscribeUrl);
    expect(list.id?.id).toBe('nyheter.stadslabbet.example');
    // Each header exactly once.
    for (const name of ['From', 'To', 'Subject', 'Date', 'Message-ID', 'Reply-To', 'Content-Type'])
      expect(header(name)).toHaveLength(1);
  });

  it('is multipart/alternative with a quoted-printable text part and HTML part, both UTF-8', async () => {
    const { raw } = personalize(sv, RECIPIENT, { now: NOW });
    const mail = await parse(raw);
    const contentType = mail.headers.get('content-type') as HeaderValue & {
      value: string;
      params: Record<string, string>;
    };
    expect(contentType.value).toBe('multipart/alternative');
    const boundary = contentType.params.boundary!;
    const body = raw.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    const parts = body.split(`--${boundary}`);
    expect(parts).toHaveLength(4); // preamble, text, html, epilogue after the closing "--"
    expect(parts[1]).toMatch(
      /^\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/,
    );
    expect(parts[2]).toMatch(
      /^\r\nContent-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/,
    );
    expect(parts[3]).toBe('--\r\n');

    const expected = fillSlots(sv, RECIPIENT);
    expect(mail.text).toBe(expected.text);
    expect(mail.html).toBe(expected.html);
    expect(mail.text).toContain(`Avsluta prenumerationen: ${RECIPIENT.unsubscribeUrl}`);
    expect(mail.text).toContain('Skickat till Anna Åberg <anna.aberg@example.org>.');
    expect(mail.html).toContain(`href="${RECIPIENT.unsubscribeUrl.replace('&', '&amp;')}"`);
    expect(mail.html).toContain('Skickat till Anna Åberg &lt;anna.aberg@example.org&gt;.');
    expect(mail.html).not.toContain(sv.markers.unsubscribe);
  });

  it('keeps to the line-length rules: CRLF only, at most 78 characters in headers and 76 in bodies', () => {
    const { raw } = personalize(sv, RECIPIENT, { now: NOW });
    const text = raw.toString('latin1');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [head, ...rest] = text.split('\r\n\r\n');
    for (const line of head!.split('\r\n')) {
      if (!line.startsWith('List-Unsubscribe: <') && !line.startsWith('Content-Type: multipart'))
        expect(line.length).toBeLessThanOrEqual(78);
    }
    for (const line of rest.join('\r\n\r\n').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
  });

  it('gives every message its own Message-ID and marks test sends in the subject', async () => {
    const ids = new Set(
      Array.from({ length: 200 }, () => personalize(sv, RECIPIENT, { now: NOW }).messageId),
    );
    expect(ids.size).toBe(200);
    const test = await parse(personalize(sv, RECIPIENT, { now: NOW, test: true }).raw);
    expect(test.subject).toBe('[TEST] Umeå lagrar sommarvärme i gamla bergrum');
  });

  it('works without a name, and in English', async () => {
    const mail = await parse(personalize(en, { ...RECIPIENT, name: null }, { now: NOW }).raw);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined).toEqual([
      { address: RECIPIENT.email, name: '' },
    ]);
    expect(mail.subject).toBe('Umeå stores summer heat in old rock caverns');
    expect(mail.text).toContain(`Sent to ${RECIPIENT.email}.`);
    expect(mail.text).toContain(`Unsubscribe: ${RECIPIENT.unsubscribeUrl}`);
    expect(mail.text).toContain('For more information, please contact:');
    expect(mail.html).toContain('Read on the web');
    expect(mail.html).toContain(
      'You are receiving this email because you subscribe to News from Norrsken Urban Lab.',
    );
    expect(rawHeaderLines(personalize(en, RECIPIENT, { now: NOW }).raw)).toContain('Content-Language: en');
  });

  it('adds a mailto: unsubscribe and the subject prefix when configured', async () => {
    const q = project();
    try {
      q.write(
        'scs.config.yml',
        readFileSync(path.join(q.dir, 'scs.config.yml'), 'utf8').replace(
          '  replyTo: karin.holmqvist@stadslabbet.example',
          '  replyTo: karin.holmqvist@stadslabbet.example\n  unsubscribeMailto: unsubscribe@stadslabbet.example\n  subjectPrefix: "Stadslabbet: "',
        ),
      );
      const { config, release } = await q.load();
      const t = await renderOk(config, release(BERGRUM_SV), 'nyheter');
      const { raw } = personalize(t, RECIPIENT, { now: NOW });
      expect(rawHeaderLines(raw)).toContain(
        `List-Unsubscribe: <${RECIPIENT.unsubscribeUrl}>, <mailto:unsubscribe@stadslabbet.example?subject=unsubscribe>`,
      );
      expect((await parse(raw)).subject).toBe('Stadslabbet: Umeå lagrar sommarvärme i gamla bergrum');
    } finally {
      q.cleanup();
    }
  });

  it("names the organisation in the email's language, with addresses that wrap between their parts", () => {
    const html = fillSlots(en, RECIPIENT).html;
    expect(html).toContain('About Norrsken Urban Lab');
    expect(html).toContain('Sent by Norrsken Urban Lab');
    expect(html).toContain('Project Manager, Energy and Mobility, Norrsken Urban Lab');
    expect(html).not.toContain('Stadslabbet Norrsken');
    expect(fillSlots(sv, RECIPIENT).html).toContain('Om Stadslabbet Norrsken');
    // "<wbr>" after "@" and before dots (not anywhere: the column's CSS would break mid-word).
    expect(html).toContain('>oskar<wbr>.lindahl@<wbr>stadslabbet<wbr>.example</a>');
    // Configured as "+46 90-16 45 31": shown in the national format, on one line.
    expect(html).toMatch(/<a href="tel:\+4690164531" style="[^"]*white-space:nowrap">090-16 45 31<\/a>/);
  });

  it('uses absolute URLs everywhere in the HTML', () => {
    const html = fillSlots(sv, RECIPIENT).html;
    const urls = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url).toMatch(/^(https:\/\/|mailto:|tel:)/);
    expect(urls).toContain(
      'https://press.stadslabbet.example/sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/',
    );
    // The hero image is the site's 600 px copy (assets/: one naming scheme for the site and the email).
    expect(urls).toContainEqual(
      expect.stringMatching(
        /^https:\/\/press\.stadslabbet\.example\/assets\/images\/bergrum-[0-9a-f]{10}-600\.jpg$/,
      ),
    );
    expect(urls).toContain('tel:+4690164531');
  });
});
