import { afterEach, describe, expect, it } from 'vitest';
import { readVerp, verpAddress, verpToken } from '../../src/bounces/verp.js';
import { sendRelease } from '../../src/publish/send.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BERGRUM_SV, DUE_DATE, readers, SECRET, type Newsroom } from '../publish/newsroom.js';
import { BOUNCE_BOX, bounceRoom } from './room.js';

describe('VERP envelope senders', () => {
  it('name the delivery row, signed, and survive a change of case', async () => {
    const ref = { dispatchId: 12, subscriberId: 987654 };
    const address = verpAddress('bounces@press.example', SECRET, ref);
    expect(address).toMatch(/^bounces\+c-l62u-[0-9a-f]{15}@press\.example$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(readVerp(SECRET, address)).toEqual({ ok: true, ref });
    expect(readVerp(SECRET, address.toUpperCase())).toEqual({ ok: true, ref });
  });

  it('refuse a forged or altered token, and say when there is none', async () => {
    const token = verpToken(SECRET, { dispatchId: 1, subscriberId: 2 });
    expect(readVerp('another-secret-0123456789', `b+${token}@x.example`)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(readVerp(SECRET, `b+${token.replace(/^1-2/, '1-3')}@x.example`)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(readVerp(SECRET, 'bounces@x.example')).toEqual({ ok: false, reason: 'absent' });
  });

  describe('in a dispatch', () => {
    let room: Newsroom;
    let server: TestSmtpServer;
    afterEach(async () => {
      await server?.close();
      room?.cleanup();
    });

    it('each message leaves with its own envelope sender, which leads back to its recipient', async () => {
      room = bounceRoom();
      server = await startSmtpServer();
      const ids = await room.seed('nyheter', readers(3));
      const result = await sendRelease(room.config({ SCS_SMTP_URL: server.url }), {
        release: BERGRUM_SV,
        now: DUE_DATE,
      });
      const dispatchId = result.dispatches[0]!.dispatchId!;
      expect(server.received).toHaveLength(3);
      for (const m of server.received) {
        const check = readVerp(SECRET, m.from);
        expect(check.ok && m.from.endsWith(BOUNCE_BOX.slice('bounces'.length))).toBe(true);
        if (!check.ok) continue;
        expect(check.ref.dispatchId).toBe(dispatchId);
        expect(ids[readers(3).indexOf(m.to)]).toBe(check.ref.subscriberId);
      }
    });
  });
});
