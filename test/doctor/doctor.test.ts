import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { createTransport } from '../../src/delivery/create-transport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { dnsResolver, doctor, type DoctorResult } from '../../src/doctor/doctor.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import { createServer } from '../../src/subscription/server.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { subscriberProject } from '../subscribers/project.js';
import { startDnsServer, type TestDnsServer, type TxtTable } from './dns-server.js';
import { closedPort, dkimKeys, startWebServer } from './servers.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const PASSWORD = 'p@ss word-7f3k';
const DOMAIN = 'stadslabbet.example';
const DKIM_NAME = `scs._domainkey.${DOMAIN}`;

/**
 * `doctor` against real servers on 127.0.0.1: an SMTP server that wants a login, a DNS server
 * answering from a table each test sets, a web server for the archive, and `scs serve` itself.
 */
describe('doctor', () => {
  const keys = dkimKeys();
  let smtp: TestSmtpServer;
  let dns: TestDnsServer;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let project: Awaited<ReturnType<typeof subscriberProject>>;
  let transport: Transport;
  let serve: Server;
  let endpoint: string;

  const goodTable = (): TxtTable => ({
    [DKIM_NAME]: [keys.record],
    [DOMAIN]: ['google-site-verification=abc123', 'v=spf1 ip4:127.0.0.1 -all'],
    [`_dmarc.${DOMAIN}`]: ['v=DMARC1; p=none; rua=mailto:dmarc@stadslabbet.example'],
  });
  const setTable = (table: TxtTable) => {
    for (const name of Object.keys(dns.table)) delete dns.table[name];
    Object.assign(dns.table, table);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'press', pass: PASSWORD } });
    dns = await startDnsServer();
    web = await startWebServer();
    project = await subscriberProject();
    transport = createTransport(project.config);
    serve = createServer(project.config, project.store, transport);
    // The example's endpoint path is /newsletter/, which scs serve also answers below.
    endpoint = `http://127.0.0.1:${(await listen(serve, '127.0.0.1', 0)).port}/newsletter/`;
  });
  afterAll(async () => {
    await shutdown(serve);
    await transport.close();
    await Promise.all([smtp.close(), dns.close(), web.close()]);
    await project.cleanup();
  });
  beforeEach(async () => setTable(goodTable()));

  function run(env: NodeJS.ProcessEnv = {}, change: (c: Config) => Config = (c) => c): Promise<DoctorResult> {
    const config = loadConfig({
      root: project.dir,
      env: { SCS_SMTP_URL: smtp.url, SCS_DKIM_PRIVATE_KEY: keys.pem, ...env },
    });
    const local = {
      ...config,
      site: { ...config.site, baseUrl: web.url },
      newsletter: { ...config.newsletter, endpoint },
    };
    return doctor(change(local), { now: NOW, dnsServer: dns.address });
  }
  const check = (r: DoctorResult, id: string) => r.checks.find((c) => c.id === id)!;
  const statuses = (r: DoctorResult) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
  const codes = (r: DoctorResult) => r.diagnostics.map((d) => `${d.code}/${d.severity}`);

  it('passes a good setup: login, DKIM key in DNS, SPF, DMARC, the archive and scs serve', async () => {
    const r = await run();
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['smtp', 'ok'],
      ['dkim-key', 'ok'],
      ['dkim-dns', 'ok'],
      ['spf', 'ok'],
      ['dmarc', 'ok'],
      ['site', 'ok'],
      ['serve', 'ok'],
    ]);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.checkedAt).toEqual(NOW);
    expect(check(r, 'smtp').detail).toContain('logged in as "press"');
    expect(check(r, 'dkim-key').detail).toContain('1024 bits');
    expect(check(r, 'spf').detail).toBe(`${DOMAIN}: "v=spf1 ip4:127.0.0.1 -all".`);
    expect(check(r, 'dmarc').detail).toContain('p=none: receivers only report');
    expect(check(r, 'serve').detail).toBe(`${endpoint}healthz answers 200.`);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('reports a refused login as doctor-smtp-auth, without the password', async () => {
    const wrong = 'wr0ng-secret-pw';
    const r = await run({ SCS_SMTP_URL: smtp.url.replace(encodeURIComponent(PASSWORD), wrong) });
    expect(check(r, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-auth' });
    expect(check(r, 'smtp').detail).toMatch(
      /logging in \(AUTH PLAIN\) failed: the server refused user "press" \(535 /,
    );
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['doctor-smtp-auth/error']);
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it('reports a port where nothing listens as doctor-smtp-connect', async () => {
    const r = await run({ SCS_SMTP_URL: `smtp://press:${PASSWORD}@127.0.0.1:${await closedPort()}` });
    expect(check(r, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-connect' });
    expect(check(r, 'smtp').detail).toContain('connecting failed (connect ECONNREFUSED');
    expect(r.ok).toBe(false);
  });

  it('reports TLS that cannot be set up as doctor-smtp-tls', async () => {
    // TLS from the first byte to a server that speaks plain SMTP.
    const r = await run({ SCS_SMTP_URL: `smtps://press:${PASSWORD}@127.0.0.1:${smtp.port}` });
    expect(check(r, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-tls' });
    // STARTTLS required of a server that does not offer it.
    const required = await run({ SCS_SMTP_URL: `${smtp.url}?requireTLS=true` });
    expect(check(required, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-tls' });
    expect(check(required, 'smtp').detail).toContain('(STARTTLS required): TLS failed');
  });

  it('upgrades with STARTTLS when offered, checking the certificate', async () => {
    const tls = await startSmtpServer({ auth: { user: 'press', pass: PASSWORD }, starttls: true });
    try {
      // The test server's certificate is self-made, which a real check refuses …
      const strict = await run({ SCS_SMTP_URL: tls.url.replace('?rejectUnauthorized=false', '') });
      expect(check(strict, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-tls' });
      expect(check(strict, 'smtp').detail).toMatch(/\(STARTTLS when offered\): TLS failed \(.*certificate/);
      // … and ?rejectUnauthorized=false accepts; the login then goes over TLS.
      const lenient = await run({ SCS_SMTP_URL: tls.url });
      expect(check(lenient, 'smtp')).toMatchObject({ status: 'ok' });
      expect(JSON.stringify([strict, lenient])).not.toContain(PASSWORD);
    } finally {
      await tls.close();
    }
  });

  it('reports a missing or broken SCS_SMTP_URL as errors', async () => {
    const unset = await run({ SCS_SMTP_URL: undefined });
    expect(check(unset, 'smtp')).toMatchObject({ status: 'error', code: 'doctor-smtp-unset' });
    const broken = await run({ SCS_SMTP_URL: `http://press:${PASSWORD}@127.0.0.1:25` });
    expect(check(broken, 'smtp')).toMatchObject({ status: 'error', code: 'smtp-url-invalid' });
    expect(JSON.stringify(broken)).not.toContain(PASSWORD);
  });

  it('finds a DKIM record with another key, or a revoked one, as doctor-dkim-dns-mismatch', async () => {
    setTable({ ...goodTable(), [DKIM_NAME]: [dkimKeys().record] });
    const other = await run();
    expect(check(other, 'dkim-dns')).toMatchObject({ status: 'error', code: 'doctor-dkim-dns-mismatch' });
    expect(check(other, 'dkim-dns').detail).toContain('holds another public key');
    // The hint gives the record to publish: the public key, never the private one.
    expect(check(other, 'dkim-dns').hint).toContain(keys.record);
    expect(JSON.stringify(other)).not.toContain(keys.pem.split('\n')[1]);
    expect(other.ok).toBe(false);

    setTable({ ...goodTable(), [DKIM_NAME]: ['v=DKIM1; k=rsa; p='] });
    const revoked = await run();
    expect(check(revoked, 'dkim-dns')).toMatchObject({ status: 'error', code: 'doctor-dkim-dns-mismatch' });
    expect(check(revoked, 'dkim-dns').detail).toContain('revokes the key');
  });

  it('accepts the key published as a bare RSAPublicKey, in a record split into several strings', async () => {
    const pkcs1 = keys.publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    const long = `v=DKIM1; k=rsa; n=${'notes '.repeat(40)}; p=${pkcs1}`;
    expect(long.length).toBeGreaterThan(255);
    setTable({ ...goodTable(), [DKIM_NAME]: [long] });
    expect(check(await run(), 'dkim-dns').status).toBe('ok');
  });

  it('warns of missing DKIM, SPF and DMARC records, and tells what to publish', async () => {
    setTable({});
    const r = await run();
    expect(statuses(r)).toMatchObject({ 'dkim-dns': 'warning', spf: 'warning', dmarc: 'warning' });
    expect(codes(r)).toEqual([
      'doctor-dkim-dns-missing/warning',
      'doctor-spf-missing/warning',
      'doctor-dmarc-missing/warning',
    ]);
    expect(check(r, 'dkim-dns').hint).toBe(`Publish a TXT record at ${DKIM_NAME}: ${keys.record}`);
    expect(r.ok).toBe(true);
  });

  it('turns a failing DNS server (SERVFAIL) into warnings, not a crash', async () => {
    setTable({ [DKIM_NAME]: 'SERVFAIL', [DOMAIN]: 'SERVFAIL', [`_dmarc.${DOMAIN}`]: 'SERVFAIL' });
    const r = await run();
    expect(codes(r)).toEqual([
      'doctor-dns-lookup/warning',
      'doctor-dns-lookup/warning',
      'doctor-dns-lookup/warning',
    ]);
    expect(check(r, 'spf').detail).toBe(`Looking up the TXT records of ${DOMAIN} failed (ESERVFAIL).`);
    expect(r.ok).toBe(true);
  });

  it('finds two SPF records an error (receivers then ignore both)', async () => {
    setTable({ ...goodTable(), [DOMAIN]: ['v=spf1 -all', 'v=spf1 ip4:127.0.0.1 -all'] });
    const r = await run();
    expect(check(r, 'spf')).toMatchObject({ status: 'error', code: 'doctor-spf-multiple' });
    expect(r.ok).toBe(false);
  });

  it('warns when the archive does not answer; an error when scs serve does not', async () => {
    const nothing = `http://127.0.0.1:${await closedPort()}/`;
    const down = await run({}, (c) => ({
      ...c,
      site: { ...c.site, baseUrl: nothing },
      newsletter: { ...c.newsletter, endpoint: `${nothing}newsletter/` },
    }));
    expect(check(down, 'site')).toMatchObject({ status: 'warning', code: 'doctor-url-unreachable' });
    expect(check(down, 'site').detail).toBe(`${nothing} does not answer (ECONNREFUSED).`);
    expect(check(down, 'serve')).toMatchObject({ status: 'error', code: 'doctor-url-unreachable' });
    expect(down.ok).toBe(false);

    const missing = await startWebServer(404);
    try {
      const notServe = await run({}, (c) => ({
        ...c,
        site: { ...c.site, baseUrl: missing.url },
        newsletter: { ...c.newsletter, endpoint: missing.url },
      }));
      expect(check(notServe, 'site')).toMatchObject({ status: 'warning', code: 'doctor-url-status' });
      expect(check(notServe, 'serve')).toMatchObject({ status: 'error', code: 'doctor-url-status' });
      expect(check(notServe, 'serve').detail).toBe(`${missing.url}healthz answers 404 Not Found.`);
    } finally {
      await missing.close();
    }
  });

  it('reports a DKIM key that does not load, and warns when there is none', async () => {
    const broken = await run({
      SCS_DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
    });
    expect(check(broken, 'dkim-key')).toMatchObject({ status: 'error', code: 'email-dkim-key-invalid' });
    expect(check(broken, 'dkim-dns').status).toBe('skipped');
    const none = await run({ SCS_DKIM_PRIVATE_KEY: undefined });
    expect(check(none, 'dkim-key')).toMatchObject({ status: 'warning', code: 'doctor-dkim-unset' });
    expect(check(none, 'dkim-dns').status).toBe('skipped');
    expect(none.ok).toBe(true);
  });

  it('refuses a DNS server that is not an IP address', async () => {
    expect(() => dnsResolver('dns.example', 1000)).toThrow(ScsError);
    expect(() => dnsResolver('127.0.0.1:5353', 1000)).not.toThrow();
  });
});
