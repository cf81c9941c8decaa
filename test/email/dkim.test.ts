import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNewsletter } from '../../src/email/render.js';
import { personalize } from '../../src/email/personalize.js';
import { BERGRUM_SV, NOW, parse, project, releaseFile, renderOk, type Project } from './helpers.js';

const RECIPIENT = {
  email: 'per@example.org',
  name: 'Per Öst',
  unsubscribeUrl: 'https://press.stadslabbet.example/newsletter/unsubscribe?token=abc',
};

/**
 * An independent DKIM verifier (RFC 6376 §3.4 relaxed/relaxed, §3.5 tags, §5.4 header selection,
 * §6.1.3 body hash), written from the RFC rather than from src/email/dkim.ts.
 */
function verifyDkim(
  raw: Buffer,
  publicKeyPem: string,
): { ok: boolean; tags: Record<string, string>; reason?: string } {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split + 2);
  const body = text.slice(split + 4);
  const fields = head.split(/\r\n(?![ \t])/).filter(Boolean);
  const sigField = fields.find((f) => /^dkim-signature\s*:/i.test(f));
  if (!sigField) return { ok: false, tags: {}, reason: 'no signature' };
  const tags = Object.fromEntries(
    sigField
      .slice(sigField.indexOf(':') + 1)
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')]),
  );
  const relaxedHeader = (f: string) => {
    const i = f.indexOf(':');
    return `${f.slice(0, i).trim().toLowerCase()}:${f
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  };
  let lines = body.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines = lines.map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const canonBody = lines.length ? `${lines.join('\r\n')}\r\n` : '';
  const bh = createHash('sha256').update(Buffer.from(canonBody, 'latin1')).digest('base64');
  if (bh !== tags.bh) return { ok: false, tags, reason: `body hash ${bh} != ${tags.bh}` };
  // Each name in h= takes the next unused instance of that field, from the bottom up.
  const used = new Map<string, number>();
  let data = '';
  for (const name of tags.h!.split(':').map((n) => n.trim().toLowerCase())) {
    const instances = fields.filter((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase() === name);
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    const field = instances[instances.length - 1 - n];
    if (field) data += `${relaxedHeader(field)}\r\n`;
  }
  data += relaxedHeader(sigField.replace(/(\bb=)[^;]*/, '$1'));
  const ok = verify(
    'sha256',
    Buffer.from(data, 'latin1'),
    createPublicKey(publicKeyPem),
    Buffer.from(tags.b!, 'base64'),
  );
  return { ok, tags, ...(ok ? {} : { reason: 'signature mismatch' }) };
}

describe('DKIM signing', () => {
  let p: Project;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
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
