import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { confirmUrl, signToken, unsubscribeUrl, verifyToken } from '../../src/subscribers/tokens.js';
import { exampleProject } from '../helpers/scs.js';
import { later, T0 } from './project.js';

const SECRET = 'a-test-secret-that-is-long-enough';

describe('signed tokens', () => {
  it('round-trips the claims', async () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', subscriberId: 42, lists: ['nyheter'] });
    expect(verifyToken(SECRET, token, 'unsubscribe', T0)).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', subscriberId: 42, lists: ['nyheter'] },
    });
  });

  it('refuses a token signed with another key', async () => {
    const token = signToken('another-secret-entirely-0123456789', {
      purpose: 'unsubscribe',
      subscriberId: 42,
      lists: ['nyheter'],
    });
    expect(verifyToken(SECRET, token, 'unsubscribe', T0)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a tampered payload (another subscriber id) and a tampered signature', async () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', subscriberId: 42, lists: ['nyheter'] });
    const [payload, mac] = token.split('.') as [string, string];
    const other = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('42', '43')).toString(
      'base64url',
    );
    expect(verifyToken(SECRET, `${other}.${mac}`, 'unsubscribe', T0)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    expect(verifyToken(SECRET, `${payload}.${flipped}`, 'unsubscribe', T0)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('refuses a token made for the other purpose', async () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', subscriberId: 1, lists: ['news'] });
    expect(verifyToken(SECRET, token, 'confirm', T0)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('expires confirmation tokens at their expiry, not before', async () => {
    const expiresAt = T0.getTime() / 1000 + 60;
    const token = signToken(SECRET, {
      purpose: 'confirm',
      subscriberId: 7,
      lists: ['nyheter', 'news'],
      expiresAt,
    });
    expect(verifyToken(SECRET, token, 'confirm', later(59_000)).ok).toBe(true);
    expect(verifyToken(SECRET, token, 'confirm', later(60_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('calls garbage malformed', async () => {
    for (const junk of ['', 'abc', 'a.b.c', 'x'.repeat(500), 'abc.def\r\nX-Injected: 1'])
      expect(verifyToken(SECRET, junk, 'confirm', T0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('builds the endpoint URLs; unsubscribe links never expire, confirmation links do', async () => {
    const project = exampleProject();
    try {
      const config = loadConfig({ root: project.dir, env: {} });
      const u = new URL(unsubscribeUrl(config, SECRET, 5, 'news'));
      expect(`${u.origin}${u.pathname}`).toBe('https://press.stadslabbet.example/newsletter/unsubscribe');
      expect(
        verifyToken(SECRET, u.searchParams.get('token')!, 'unsubscribe', new Date('2099-01-01')).ok,
      ).toBe(true);
      const c = new URL(confirmUrl(config, SECRET, 5, ['news'], T0));
      expect(c.pathname).toBe('/newsletter/confirm');
      const token = c.searchParams.get('token')!;
      expect(verifyToken(SECRET, token, 'confirm', later(7 * 86400000 - 1000)).ok).toBe(true);
      expect(verifyToken(SECRET, token, 'confirm', later(7 * 86400000))).toEqual({
        ok: false,
        reason: 'expired',
      });
    } finally {
      await project.cleanup();
    }
  });
});
