import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNewsletter } from '../../src/email/render.js';
import { personalize } from '../../src/email/personalize.js';
import { composeConfirmation } from '../../src/subscribers/confirmation.js';
import {
  BERGRUM_SV,
  NOW,
  parse,
  project,
  releaseFile,
  renderOk,
  verifyDkim,
  dkimKeys,
  type Project,
} from './helpers.js';

const RECIPIENT = {
  email: 'per@example.org',
  name: 'Per Öst',
  unsubscribeUrl: 'https://press.stadslabbet.example/newsletter/unsubscribe?token=abc',
};

/**
 * What the MIME writer decides about a message, apart from its content: the boundary's form, each
 * part's header, how the body ends, and the header fields (names) besides the signature.
 */
function layout(raw: Buffer) {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const fields = text
    .slice(0, split)
    .split(/\r\n(?![ \t])/)
    .map((f) => f.slice(0, f.indexOf(':')).toLowerCase());
  const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
  const parts = text.slice(split + 4).split(`--${boundary}`);
  return {
    boundary: boundary.replace(/[0-9a-f]+$/, '…'),
    partHeaders: parts.slice(1, -1).map((part) => part.slice(0, part.indexOf('\r\n\r\n'))),
    end: parts.at(-1),
    fields: fields.filter((f) => f !== 'dkim-signature'),
  };
}

describe('DKIM signing', () => {
  let p: Project;
  const { privateKey, publicKey } = dkimKeys();
  beforeAll(() => {
    p = project();
  });
  afterAll(() => p.cleanup());

  it('signs with rsa-sha256 relaxed/relaxed, covering the List-Unsubscribe headers; the signature verifies', async () => {
    const { config, release } = await p.load({
      SCS_DKIM_PRIVATE_KEY: privateKey,
      SCS_DKIM_SELECTOR: 'press2026',
    });
    const template = await renderOk(config, release(BERGRUM_SV), 'nyheter');
    const { raw } = personalize(template, RECIPIENT, { now: NOW });
    const result = verifyDkim(raw, publicKey);
    expect(result.reason).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.tags).toMatchObject({
      v: '1',
      a: 'rsa-sha256',
      c: 'relaxed/relaxed',
      d: 'stadslabbet.example',
      s: 'press2026',
    });
    expect(Number(result.tags.t)).toBe(NOW.getTime() / 1000);
    const signed = result.tags.h!.split(':');
    for (const h of [
      'from',
      'to',
      'subject',
      'date',
      'message-id',
      'list-id',
      'list-unsubscribe',
      'list-unsubscribe-post',
      'mime-version',
      'content-type',
    ])
      expect(signed).toContain(h);
    // Still an ordinary message.
    expect((await parse(raw)).subject).toBe('Umeå lagrar sommarvärme i gamla bergrum');
  });

  it('fails verification when a signed header or the body is changed (the verifier is real)', async () => {
    const { config, release } = await p.load({ SCS_DKIM_PRIVATE_KEY: privateKey });
    const template = await renderOk(config, release(BERGRUM_SV), 'nyheter');
    const raw = personalize(template, RECIPIENT, { now: NOW }).raw.toString('latin1');
    const tamperedHeader = Buffer.from(raw.replace('token=abc', 'token=abd'), 'latin1');
    expect(verifyDkim(tamperedHeader, publicKey).ok).toBe(false);
    const tamperedBody = Buffer.from(raw.replace('Bergrummen byggdes', 'Bergrummen byggdeS'), 'latin1');
    expect(verifyDkim(tamperedBody, publicKey).reason).toMatch(/body hash/);
  });

  it('reads the key from a file path, and signs test messages and mailto variants too', async () => {
    const keyFile = p.write('secrets/dkim.pem', privateKey);
    const { config, release } = await p.load({
      SCS_DKIM_PRIVATE_KEY: keyFile,
      SCS_DKIM_DOMAIN: 'mail.stadslabbet.example',
    });
    const template = await renderOk(config, release(BERGRUM_SV), 'nyheter');
    const { raw } = personalize(
      template,
      { ...RECIPIENT, name: 'Name "with" quotes, and\r\nBcc: evil@example.com' },
      { now: NOW, test: true },
    );
    const result = verifyDkim(raw, publicKey);
    expect(result.ok).toBe(true);
    expect(result.tags.d).toBe('mail.stadslabbet.example');
    const relative = await p.load({ SCS_DKIM_PRIVATE_KEY: 'secrets/dkim.pem' });
    expect(
      verifyDkim(
        personalize(await renderOk(relative.config, relative.release(BERGRUM_SV), 'nyheter'), RECIPIENT, {
          now: NOW,
        }).raw,
        publicKey,
      ).ok,
    ).toBe(true);
  });

  it('verifies for bodies with runs of spaces, tabs and trailing white space', async () => {
    p.write(
      'releases/2026/2026-11-01-mellanslag.sv.md',
      releaseFile(
        { title: 'Mellanslag  och\ttabbar', date: '2026-11-01', lang: 'sv', lead: 'Ingress   med  luft.' },
        '```\nkolumn 1    kolumn 2\t\tslut   \n   indrag\n```\n\nText med två  mellanslag och ett sist på raden \nNästa rad.',
      ),
    );
    const { config, release } = await p.load({ SCS_DKIM_PRIVATE_KEY: privateKey });
    const template = await renderOk(config, release('sv/mellanslag-och-tabbar'), 'nyheter');
    const { raw } = personalize(template, RECIPIENT, { now: NOW });
    expect(verifyDkim(raw, publicKey).ok).toBe(true);
    expect((await parse(raw)).text).toContain('    kolumn 1    kolumn 2\t\tslut');
  });

  it('writes and signs the confirmation mail as the newsletter: one writer, one signer, both verify', async () => {
    const { config, release } = await p.load({
      SCS_DKIM_PRIVATE_KEY: privateKey,
      SCS_DKIM_SELECTOR: 'press2026',
    });
    const newsletter = personalize(await renderOk(config, release(BERGRUM_SV), 'nyheter'), RECIPIENT, {
      now: NOW,
    }).raw;
    const confirmation = (
      await composeConfirmation(
        config,
        'a-secret-of-at-least-32-characters!!',
        { subscriberId: 7, email: 'per@example.org', lang: 'sv', lists: ['nyheter'] },
        NOW,
      )
    ).raw;
    const signatures = [newsletter, confirmation].map((raw) => verifyDkim(raw, publicKey));
    for (const s of signatures) expect(s).toMatchObject({ ok: true });
    // The same signer: the same tags, signing time included.
    expect(Object.keys(signatures[1]!.tags).sort()).toEqual(Object.keys(signatures[0]!.tags).sort());
    expect(signatures[1]!.tags).toMatchObject({
      c: 'relaxed/relaxed',
      s: 'press2026',
      t: signatures[0]!.tags.t,
    });
    // The same writer: the same multipart frame; every header field signed.
    const [a, b] = [layout(newsletter), layout(confirmation)];
    expect(b.boundary).toBe(a.boundary);
    expect(b.partHeaders).toEqual(a.partHeaders);
    expect(b.end).toBe(a.end);
    expect(a.fields.join(':')).toBe(signatures[0]!.tags.h);
    expect(b.fields.join(':')).toBe(signatures[1]!.tags.h);
    // The confirmation keeps every header it had, and no newsletter one.
    expect(b.fields).toEqual([
      'from',
      'to',
      'reply-to',
      'subject',
      'date',
      'message-id',
      'auto-submitted',
      'mime-version',
      'content-language',
      'content-type',
    ]);
    const mail = await parse(confirmation);
    expect(mail.subject).toBe('Bekräfta din prenumeration – Stadslabbet Norrsken');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain('https://press.stadslabbet.example/newsletter/confirm?token=');
    expect(mail.html).toContain('Bekräfta prenumerationen');
  });

  it('reports an unreadable or invalid key as a diagnostic, not a crash', async () => {
    const missing = await p.load({ SCS_DKIM_PRIVATE_KEY: 'secrets/nope.pem' });
    const a = await renderNewsletter(missing.config, missing.release(BERGRUM_SV), { listId: 'nyheter' });
    expect(a.template).toBeUndefined();
    expect(a.diagnostics.map((d) => d.code)).toEqual(['email-dkim-key-unreadable']);
    expect(a.diagnostics[0]!.message).toContain('nope.pem');
    const garbage = await p.load({
      SCS_DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
    });
    const b = await renderNewsletter(garbage.config, garbage.release(BERGRUM_SV), { listId: 'nyheter' });
    expect(b.diagnostics.map((d) => d.code)).toEqual(['email-dkim-key-invalid']);
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrongType = await p.load({ SCS_DKIM_PRIVATE_KEY: ec.privateKey });
    const c = await renderNewsletter(wrongType.config, wrongType.release(BERGRUM_SV), { listId: 'nyheter' });
    expect(c.diagnostics.map((d) => d.code)).toEqual(['email-dkim-key-invalid']);
  });
});
