import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { checkReleases } from '../../src/content/load.js';
import type { Release } from '../../src/content/types.js';
import { renderNewsletter } from '../../src/email/render.js';
import type { MessageTemplate } from '../../src/email/types.js';
import { exampleProject } from '../helpers/scs.js';

export const NOW = new Date('2026-10-14T07:30:00Z');
export const BERGRUM_SV = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
export const BERGRUM_EN = 'en/umea-stores-summer-heat-in-old-rock-caverns';
export const ELCYKEL_SV = 'sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret';

export interface Project {
  dir: string;
  cleanup: () => void;
  write(rel: string, content: string): string;
  load(
    env?: NodeJS.ProcessEnv,
  ): Promise<{ config: Config; releases: Release[]; release(id: string): Release }>;
}

/** A copy of the example newsroom, with helpers to add files and load it. */
export function project(): Project {
  const t = exampleProject();
  return {
    ...t,
    write(rel, content) {
      const file = path.join(t.dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    async load(env = {}) {
      const config = loadConfig({ root: t.dir, env });
      const { releases } = await checkReleases(config);
      return {
        config,
        releases,
        release(id) {
          const r = releases.find((x) => x.id === id);
          if (!r) throw new Error(`no release ${id} among ${releases.map((x) => x.id).join(', ')}`);
          return r;
        },
      };
    },
  };
}

/** Renders and insists on success. */
export async function renderOk(config: Config, release: Release, listId: string): Promise<MessageTemplate> {
  const { template, diagnostics } = await renderNewsletter(config, release, { listId, now: NOW });
  if (!template) throw new Error(`render failed: ${JSON.stringify(diagnostics, null, 2)}`);
  return template;
}

export function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

/** A release file for tests, with frontmatter from the given fields. */
export function releaseFile(fields: Record<string, string>, body: string): string {
  const fm = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${fm}\n---\n\n${body}\n`;
}

/** The raw header block of a message, as lines (folded lines joined). */
export function rawHeaderLines(raw: Buffer): string[] {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
  return head.replace(/\r\n(?=[ \t])/g, '').split('\r\n');
}

/**
 * An independent DKIM verifier (RFC 6376 §3.4 relaxed/relaxed, §3.5 tags, §5.4 header selection,
 * §6.1.3 body hash), written from the RFC rather than from src/email/dkim.ts.
 */
export function verifyDkim(
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

/** A fresh 2048-bit RSA key pair as PEM, for DKIM. */
export function dkimKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}
