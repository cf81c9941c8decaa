import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorResult } from '../../src/doctor/doctor.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { exampleProject, runScsAsync } from '../helpers/scs.js';
import { startDnsServer, type TestDnsServer } from './dns-server.js';
import { dkimKeys, startWebServer } from './servers.js';

const PASSWORD = 'Tr0ub4dor&3-doctor';
const WRONG = 'not-the-Password-9x';

/** The real `scs doctor` binary against an SMTP, a DNS and a web server on 127.0.0.1. */
describe('scs doctor (the binary)', () => {
  const keys = dkimKeys();
  const keyLine = keys.pem.split('\n')[1]!;
  let smtp: TestSmtpServer;
  let dns: TestDnsServer;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let project: ReturnType<typeof exampleProject>;

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'press', pass: PASSWORD } });
    dns = await startDnsServer({
      'scs._domainkey.stadslabbet.example': [keys.record],
      'stadslabbet.example': ['v=spf1 ip4:127.0.0.1 -all'],
      '_dmarc.stadslabbet.example': ['v=DMARC1; p=quarantine'],
    });
    web = await startWebServer();
    project = exampleProject();
    // The archive and scs serve, both answered by the loopback web server.
    const file = path.join(project.dir, 'scs.config.yml');
    const config = readFileSync(file, 'utf8')
      .replace('baseUrl: https://press.stadslabbet.example/', `baseUrl: ${web.url}`)
      .replace('endpoint: https://press.stadslabbet.example/newsletter/', `endpoint: ${web.url}newsletter/`);
    writeFileSync(file, config);
    writeFileSync(path.join(project.dir, 'dkim.pem'), keys.pem);
  });
  afterAll(async () => {
    await Promise.all([smtp.close(), dns.close(), web.close()]);
    project.cleanup();
  });

  const doctor = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runScsAsync(['doctor', ...args], {
      cwd: project.dir,
      env: {
        SCS_SMTP_URL: smtp.url,
        SCS_DNS_SERVER: dns.address,
        SCS_DKIM_PRIVATE_KEY: 'dkim.pem',
        ...env,
      },
    });

  it('passes a good setup with exit code 0, one line per check', async () => {
    const r = await doctor([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^✓ Mail server: SMTP smtp:\/\/press:\*\*\*@127\.0\.0\.1:\d+ \(STARTTLS when offered\): connected, logged in as "press"\.$/,
      ),
      '✓ DKIM key: an RSA key of 1024 bits signs for stadslabbet.example with selector "scs".',
      '✓ DKIM key in DNS: scs._domainkey.stadslabbet.example publishes the public key of SCS_DKIM_PRIVATE_KEY.',
      '✓ SPF: stadslabbet.example: "v=spf1 ip4:127.0.0.1 -all".',
      '✓ DMARC: _dmarc.stadslabbet.example: "v=DMARC1; p=quarantine".',
      `✓ Press archive: ${web.url} answers 200.`,
      `✓ scs serve: ${web.url}newsletter/healthz answers 200.`,
      'No problems found.',
      '',
    ]);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(keyLine);
    }
  });

  it('exits 1 on a refused login, naming the code, and never shows the password', async () => {
    const r = await doctor([], { SCS_SMTP_URL: smtp.url.replace(encodeURIComponent(PASSWORD), WRONG) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ Mail server: .*logging in \(AUTH PLAIN\) failed.* \[doctor-smtp-auth\]$/m);
    expect(r.stdout).toContain('  hint: Check the user name and password in SCS_SMTP_URL');
    expect(r.stdout).toContain('1 error, 0 warnings.');
    const json = await doctor(['--json'], {
      SCS_SMTP_URL: smtp.url.replace(encodeURIComponent(PASSWORD), WRONG),
    });
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as DoctorResult;
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['doctor-smtp-auth']);
    for (const out of [r.stdout, r.stderr, json.stdout, json.stderr]) {
      expect(out).not.toContain(WRONG);
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(keyLine);
    }
  });

  it('exits 0 with warnings only, and 2 for a DNS server that is not an address', async () => {
    const warned = await doctor([], { SCS_DKIM_PRIVATE_KEY: undefined });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain('! DKIM key: SCS_DKIM_PRIVATE_KEY is not set');
    expect(warned.stdout).toContain('- DKIM key in DNS: no DKIM key to look for');
    expect(warned.stdout).toContain('0 errors, 1 warning.');
    const bad = await doctor([], { SCS_DNS_SERVER: 'dns.example' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('The DNS server "dns.example" is not an IP address');
  });
});
