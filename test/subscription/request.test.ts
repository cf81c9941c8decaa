import { appendFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/load.js';
import { trustedProxies } from '../../src/config/trust-proxy.js';
import { clientIp, rateKey } from '../../src/subscription/request.js';
import { exampleProject } from '../helpers/scs.js';

/** What clientIp reads of a request: the peer's address and the headers. */
const request = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('rateKey', () => {
  it('keys an IPv6 client by its /64, however the address is written', async () => {
    const key = '2001:db8:1:2::/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0DB8:0001:0002:0:0:0:9',
      '2001:db8:1:2::',
      '2001:db8:1:2:3:4:1.2.3.4',
      '2001:db8:1:2::1%eth0',
    ])
      expect([ip, rateKey(ip)]).toEqual([ip, key]);
    expect(rateKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(rateKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateKey('::1')).toBe('0:0:0:0::/64');
    expect(rateKey('::ffff:192.0.2.1')).toBe('0:0:0:0::/64');
  });

  it('keys an IPv4 client by its address', async () => {
    expect(rateKey('192.0.2.1')).toBe('192.0.2.1');
    expect(rateKey('192.0.2.2')).toBe('192.0.2.2');
  });
});

describe('clientIp', () => {
  it('uses the connection when no proxy is trusted, whatever X-Forwarded-For says', async () => {
    expect(clientIp(request('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(clientIp(request('::ffff:192.0.2.4', '203.0.113.9'))).toBe('192.0.2.4');
  });

  it('takes the rightmost hop that is not a trusted proxy', async () => {
    const trusted = trustedProxies(['127.0.0.1', '10.0.0.0/8', '2001:db8:ffff::/48']);
    expect(clientIp(request('127.0.0.1', '1.1.1.1, 203.0.113.9'), trusted)).toBe('203.0.113.9');
    expect(clientIp(request('::ffff:127.0.0.1', '1.1.1.1, 203.0.113.9, 10.0.0.2'), trusted)).toBe(
      '203.0.113.9',
    );
    expect(clientIp(request('2001:db8:ffff::1', '2001:db8:1::5'), trusted)).toBe('2001:db8:1::5');
    // Every hop a proxy: the farthest one known.
    expect(clientIp(request('127.0.0.1', '10.0.0.3, 10.0.0.2'), trusted)).toBe('10.0.0.3');
    // Not an address: the chain breaks there.
    expect(clientIp(request('127.0.0.1', '203.0.113.9, garbage, 10.0.0.2'), trusted)).toBe('10.0.0.2');
    expect(clientIp(request('127.0.0.1'), trusted)).toBe('127.0.0.1');
    // A peer that is not a trusted proxy may write anything.
    expect(clientIp(request('192.0.2.7', '127.0.0.1'), trusted)).toBe('192.0.2.7');
  });
});

describe('serve.trustProxy in the config', () => {
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
  });
  const load = (yaml: string) => {
    const p = exampleProject();
    cleanups.push(p.cleanup);
    appendFileSync(path.join(p.dir, 'scs.config.yml'), yaml);
    return readConfig({ root: p.dir, env: {} });
  };

  it('is empty by default, and takes addresses and CIDR ranges', async () => {
    expect(load('').config?.serve).toEqual({ trustProxy: [] });
    const { config, diagnostics } = load(
      '\nserve:\n  trustProxy: [127.0.0.1, 10.0.0.0/8, "::1", 2001:db8::/32]\n',
    );
    expect(diagnostics).toEqual([]);
    expect(config?.serve.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32']);
  });

  it('reports every entry that is not an address or a range, with its line', async () => {
    const { diagnostics } = load(
      '\nserve:\n  trustProxy:\n    - 127.0.0.1\n    - proxy.example\n    - 10.0.0.0/33\n    - 10.0.0.1/8/2\n',
    );
    expect(diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['config-trust-proxy-invalid', expect.any(Number), expect.stringContaining('"proxy.example"')],
      ['config-trust-proxy-invalid', expect.any(Number), expect.stringContaining('"10.0.0.0/33"')],
      ['config-trust-proxy-invalid', expect.any(Number), expect.stringContaining('"10.0.0.1/8/2"')],
    ]);
    const lines = diagnostics.map((d) => d.line!);
    expect(lines[1]! - lines[0]!).toBe(1);
    expect(lines[2]! - lines[1]!).toBe(1);
  });
});
