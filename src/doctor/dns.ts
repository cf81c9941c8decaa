import { createPublicKey, type KeyObject } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import type { Config } from '../config/types.js';
import { report, usageError } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { loadDkimSigner } from '../email/dkim.js';
import { type DoctorCheck, failed, passed, skipped } from './types.js';

/** The one thing the checks ask of DNS; a `node:dns/promises` Resolver does it. */
export type TxtResolver = Pick<Resolver, 'resolveTxt'>;

/** A resolver asking `server` ("127.0.0.1:5353", "[::1]:53"), or the system's servers when undefined. */
export function dnsResolver(server: string | undefined, timeoutMs: number): TxtResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (server === undefined) return resolver;
  try {
    resolver.setServers([server]);
  } catch {
    throw usageError(
      `The DNS server "${server}" is not an IP address with an optional port.`,
      'Write it as 127.0.0.1:5353 or [::1]:53 (--dns-server or SCS_DNS_SERVER).',
    );
  }
  return resolver;
}

type Lookup = { records: string[] } | { failure: DoctorCheck };

/** The TXT records at `name`, each joined from its strings; none when the name or the records do not exist. */
async function lookupTxt(resolver: TxtResolver, name: string, id: string, title: string): Promise<Lookup> {
  try {
    return { records: (await resolver.resolveTxt(name)).map((strings) => strings.join('')) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { records: [] };
    // SERVFAIL, a timeout, a refusal: DNS could not say, which is no proof of a wrong setup.
    return {
      failure: failed(id, title, report('doctor-dns-lookup', { name, reason: code ?? (e as Error).message })),
    };
  }
}

/** "k=rsa; p=MIIB…" → {k: "rsa", p: "MIIB…"}, tag names lower-cased. */
function tags(record: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return map;
}

const spki = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'der' });

/** The published key as SPKI DER; p= holds SubjectPublicKeyInfo, or by some tools a bare RSAPublicKey. */
function publishedKey(p: string): Buffer | undefined {
  const der = Buffer.from(p.replace(/\s+/g, ''), 'base64');
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return spki(createPublicKey({ key: der, format: 'der', type }));
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

/** That SCS_DKIM_PRIVATE_KEY loads, and that DNS publishes its public key at `<selector>._domainkey.<domain>`. */
export async function checkDkim(config: Config, resolver: TxtResolver): Promise<DoctorCheck[]> {
  const KEY = 'DKIM key';
  const DNS = 'DKIM key in DNS';
  if (!config.env.dkim) {
    return [
      failed('dkim-key', KEY, report('doctor-dkim-unset')),
      skipped('dkim-dns', DNS, 'no DKIM key to look for.'),
    ];
  }
  const { signer, diagnostics } = loadDkimSigner(config);
  if (!signer) {
    return [
      failed('dkim-key', KEY, diagnostics[0]!),
      skipped('dkim-dns', DNS, 'the DKIM key does not load.'),
    ];
  }
  const bits = signer.key.asymmetricKeyDetails?.modulusLength;
  const keyCheck = passed(
    'dkim-key',
    KEY,
    `an RSA key${bits ? ` of ${bits} bits` : ''} signs for ${signer.domain} with selector "${signer.selector}".`,
  );
  const name = `${signer.selector}._domainkey.${signer.domain}`;
  const found = await lookupTxt(resolver, name, 'dkim-dns', DNS);
  if ('failure' in found) return [keyCheck, found.failure];
  const ours = spki(createPublicKey(signer.key));
  const record = `v=DKIM1; k=rsa; p=${ours.toString('base64')}`;
  const published = found.records.map(tags).filter((t) => t.has('p'));
  if (published.some((t) => publishedKey(t.get('p')!)?.equals(ours))) {
    return [keyCheck, passed('dkim-dns', DNS, `${name} publishes the public key of SCS_DKIM_PRIVATE_KEY.`)];
  }
  const problem = (d: Diagnostic): DoctorCheck[] => [keyCheck, failed('dkim-dns', DNS, d)];
  if (!published.length) return problem(report('doctor-dkim-dns-missing', { name, record }));
  const revoked = published.every((t) => t.get('p') === '');
  return problem(report('doctor-dkim-dns-mismatch', { name, record, revoked }));
}

interface PolicySpec {
  id: 'spf' | 'dmarc';
  title: string;
  /** The sender's domain, and where the record lives. */
  domain: string;
  name: string;
  /** The version tag that makes a TXT record one of these. */
  version: string;
  codes: {
    missing: 'doctor-spf-missing' | 'doctor-dmarc-missing';
    multiple: 'doctor-spf-multiple' | 'doctor-dmarc-multiple';
  };
  /** A remark on the record found, if any. */
  note?(record: string): string | undefined;
}

/** Exactly one record of a kind at a name: none is a warning, several an error (receivers then ignore them all). */
async function checkPolicy(resolver: TxtResolver, spec: PolicySpec): Promise<DoctorCheck> {
  const found = await lookupTxt(resolver, spec.name, spec.id, spec.title);
  if ('failure' in found) return found.failure;
  const version = new RegExp(`^${spec.version}(\\s|;|$)`, 'i');
  const records = found.records.filter((r) => version.test(r.trim()));
  if (!records.length) {
    return failed(
      spec.id,
      spec.title,
      report(spec.codes.missing, {
        title: spec.title,
        version: spec.version,
        name: spec.name,
        domain: spec.domain,
      }),
    );
  }
  if (records.length > 1) {
    return failed(
      spec.id,
      spec.title,
      report(spec.codes.multiple, { title: spec.title, name: spec.name, records }),
    );
  }
  const note = spec.note?.(records[0]!);
  return passed(spec.id, spec.title, `${spec.name}: "${records[0]}"${note ? ` (${note})` : ''}.`);
}

/** The SPF and DMARC records of the sender's domain (newsletter.from). */
export function checkSenderPolicies(config: Config, resolver: TxtResolver): Promise<DoctorCheck>[] {
  const domain = config.newsletter.from.email.split('@')[1]!;
  return [
    checkPolicy(resolver, {
      id: 'spf',
      title: 'SPF',
      domain,
      name: domain,
      version: 'v=spf1',
      codes: { missing: 'doctor-spf-missing', multiple: 'doctor-spf-multiple' },
    }),
    checkPolicy(resolver, {
      id: 'dmarc',
      title: 'DMARC',
      domain,
      name: `_dmarc.${domain}`,
      version: 'v=DMARC1',
      codes: { missing: 'doctor-dmarc-missing', multiple: 'doctor-dmarc-multiple' },
      note: (record) =>
        tags(record).get('p')?.toLowerCase() === 'none'
          ? 'p=none: receivers only report mail that fails, they do not reject it'
          : undefined,
    }),
  ];
}
