import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { createTransport } from '../../src/delivery/create-transport.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import { createServer, type ServeOptions, type SubscriptionServer } from '../../src/subscription/server.js';
import { resolveSecret } from '../../src/config/secret.js';
import { signToken, unsubscribeUrl } from '../../src/subscribers/tokens.js';
import { later, subscriberProject, T0 } from '../subscribers/project.js';

describe('scs serve (in process, on 127.0.0.1)', () => {
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  let server: SubscriptionServer;
  let base: string;
  let clock: Date;

  let notes: string[];
  const start = async (options: ServeOptions = {}, config = p.config) => {
    clock = T0;
    notes = [];
    server = createServer(config, p.store, createTransport(config), {
      now: () => clock,
      onRequest: (r) => notes.push(r.note ?? ''),
      ...options,
    });
    const address = await listen(server, '127.0.0.1', 0);
    base = `http://127.0.0.1:${address.port}`;
  };
  beforeEach(async () => {
    p = await subscriberProject();
    await start();
  });
  afterEach(async () => {
    await shutdown(server);
    await p.cleanup();
  });

  /** The mails sent, once the server has sent (or given up on) every confirmation mail. */
  const outbox = async () => {
    await server.idle();
    const dir = path.join(p.config.stateDir, 'outbox');
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => readFileSync(path.join(dir, f)));
    } catch {
      return [];
    }
  };
  const post = (target: string, body: string | URLSearchParams, headers: Record<string, string> = {}) =>
    fetch(`${base}${target}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      redirect: 'manual',
    });
  const subscribe = (fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
    return post('/subscribe', form, headers);
  };
  /** The public link from a mail, pointed at the test server (keeping the /newsletter/ prefix). */
  const local = (publicUrl: string) => {
    const u = new URL(publicUrl);
    return `${base}${u.pathname}${u.search}`;
  };
  const confirmLink = async (raw: Buffer) => {
    const mail = await simpleParser(raw);
    return /https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0];
  };
  /** What the button on the confirmation page does. */
  const confirm = (link: string) => fetch(local(link), { method: 'POST', redirect: 'manual' });
  const subscriber = async (email: string) => await p.store.subscribers.find(email);

  it('serves the sign-up form in the configured languages, with safe headers and no cookie', async () => {
    const sv = await fetch(`${base}/subscribe`);
    expect(sv.status).toBe(200);
    expect(sv.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(sv.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(sv.headers.get('set-cookie')).toBeNull();
    const svHtml = await sv.text();
    expect(svHtml).toContain('<html lang="sv">');
    expect(svHtml).toContain('Prenumerera på nyheter från Stadslabbet Norrsken');
    expect(svHtml).toMatch(
      /<input type="checkbox" name="lists" value="nyheter" checked> Nyheter från Stadslabbet Norrsken/,
    );
    expect(svHtml).toMatch(/value="news"> Nyheter på engelska/);
    expect(svHtml).toContain('name="website"');

    const en = await (await fetch(`${base}/newsletter/subscribe?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Subscribe to news from Norrsken Urban Lab');
    expect(en).toMatch(/value="news" checked> News from Norrsken Urban Lab/);
    const negotiated = await (
      await fetch(`${base}/subscribe`, { headers: { 'accept-language': 'en-GB,en;q=0.8,sv;q=0.5' } })
    ).text();
    expect(negotiated).toContain('<html lang="en">');
  });

  it('keeps press lists off the form, and refuses a sign-up for one like a list that does not exist', async () => {
    await shutdown(server);
    const redaktioner = {
      id: 'redaktioner',
      lang: 'sv',
      name: { sv: 'Redaktioner', en: 'Newsrooms' },
      topics: [],
      audience: 'press' as const,
    };
    const config = {
      ...p.config,
      newsletter: { ...p.config.newsletter, lists: { ...p.config.newsletter.lists, redaktioner } },
    };
    await start({}, config);
    const form = await (await fetch(`${base}/subscribe`)).text();
    expect(form).toContain('value="nyheter"');
    expect(form).not.toContain('redaktioner');
    const res = await subscribe({ email: 'reporter@example.com', lists: 'redaktioner' });
    expect(res.status).toBe(400);
    expect(await subscriber('reporter@example.com')).toBeUndefined();
    expect(await outbox()).toEqual([]);
  });

  it('runs the double opt-in end to end: form → confirmation mail in the outbox → link → button → confirmed', async () => {
    const res = await subscribe({
      email: ' Tove.Ahl@Example.COM ',
      name: 'Tove Ahl',
      lists: 'nyheter',
      lang: 'sv',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Titta i din inkorg');
    const pending = (await subscriber('Tove.Ahl@example.com'))!;
    expect(pending).toMatchObject({
      status: 'pending',
      name: 'Tove Ahl',
      lang: 'sv',
      consent: { source: 'form', ip: '127.0.0.1', confirmedAt: null },
    });
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);

    const mails = await outbox();
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(mails[0]!);
    expect(mail.subject).toBe('Bekräfta din prenumeration – Stadslabbet Norrsken');
    expect(mail.to).toMatchObject({ value: [{ address: 'Tove.Ahl@example.com', name: '' }] });
    expect(mail.from).toMatchObject({ value: [{ address: 'press@stadslabbet.example' }] });
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text!.startsWith('Hej!\n')).toBe(true);
    expect(mail.text).toContain('Nyheter från Stadslabbet Norrsken');
    const link = await confirmLink(mails[0]!);
    expect(link.startsWith('https://press.stadslabbet.example/newsletter/confirm?token=')).toBe(true);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));

    clock = later(3600_000);
    // Opening the link (as a mail provider's link scanner does) only shows the question.
    for (const method of ['GET', 'HEAD']) {
      const page = await fetch(local(link), { method, redirect: 'manual' });
      expect(page.status).toBe(200);
      const html = await page.text();
      if (method === 'GET') {
        expect(html).toContain('Ska Tove.Ahl@example.com få Nyheter från Stadslabbet Norrsken?');
        expect(html).toContain(
          `<form method="post" action="confirm?token=${new URL(link).searchParams.get('token')}"><button type="submit">Ja, bekräfta prenumerationen</button></form>`,
        );
      }
    }
    expect((await subscriber('Tove.Ahl@example.com'))!.status).toBe('pending');
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);

    const confirmed = await confirm(link);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain(
      'Tack! Tove.Ahl@example.com får nu Nyheter från Stadslabbet Norrsken.',
    );
    const s = (await subscriber('Tove.Ahl@example.com'))!;
    expect(s.status).toBe('confirmed');
    expect(s.consent.confirmedAt).toEqual(clock);
    expect((await collect(p.store.subscribers.recipients('nyheter'))).map((r) => r.email)).toEqual([
      'Tove.Ahl@example.com',
    ]);
    expect(s.consent).toMatchObject({ source: 'form', ip: '127.0.0.1', at: T0 });
    expect((await p.store.subscribers.history(s.id)).map((e) => [e.kind, e.listId, e.ip])).toEqual([
      ['confirmation-sent', 'nyheter', null],
      ['confirmed', 'nyheter', '127.0.0.1'],
    ]);

    const again = await confirm(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Det finns inget kvar att bekräfta');
  });

  it('sends a confirmed subscriber no second mail, and answers exactly as for a new one', async () => {
    const first = await (await subscribe({ email: 'ulla@example.com', lists: 'news', lang: 'en' })).text();
    await confirm(await confirmLink((await outbox())[0]!));
    expect((await subscriber('ulla@example.com'))!.status).toBe('confirmed');
    const repeat = await subscribe({ email: 'ulla@example.com', lists: 'news', lang: 'en' });
    expect(repeat.status).toBe(200);
    const fresh = await (await subscribe({ email: 'viktor@example.com', lists: 'news', lang: 'en' })).text();
    expect((await repeat.text()).replaceAll('ulla@example.com', 'X')).toBe(
      fresh.replaceAll('viktor@example.com', 'X'),
    );
    expect(first.replaceAll('ulla@example.com', 'X')).toBe(fresh.replaceAll('viktor@example.com', 'X'));
    expect(await outbox()).toHaveLength(2);
  });

  it('lets a confirmation link expire, and refuses forged and tampered ones — changing nothing', async () => {
    await subscribe({ email: 'wilma@example.com', lists: 'nyheter' });
    const link = await confirmLink((await outbox())[0]!);
    clock = later(7 * 86400_000);
    for (const expired of [await fetch(local(link)), await confirm(link)]) {
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('Länken har gått ut');
    }
    clock = T0;

    const id = (await subscriber('wilma@example.com'))!.id;
    const forged = signToken('someone-elses-secret-entirely!!', {
      purpose: 'confirm',
      subscriberId: id,
      lists: ['nyheter'],
      expiresAt: 2e9,
    });
    const token = new URL(link).searchParams.get('token')!;
    const tampered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const unsubscribeToken = new URL(
      unsubscribeUrl(p.config, resolveSecret(p.config).secret, id, 'nyheter'),
    ).searchParams.get('token')!;
    for (const bad of [forged, tampered, 'garbage', unsubscribeToken, '']) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${base}/confirm?token=${encodeURIComponent(bad)}`, { method });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('Länken fungerar inte');
      }
    }
    expect((await subscriber('wilma@example.com'))!.status).toBe('pending');
  });

  describe('unsubscribing', () => {
    let token: string;
    let id: number;
    beforeEach(async () => {
      await subscribe({ email: 'xena@example.com', lists: ['nyheter', 'news'], lang: 'en' });
      await confirm(await confirmLink((await outbox())[0]!));
      id = (await subscriber('xena@example.com'))!.id;
      token = new URL(unsubscribeUrl(p.config, resolveSecret(p.config).secret, id, 'news')).searchParams.get(
        'token',
      )!;
    });

    it('shows a page with a button on GET, and changes nothing', async () => {
      const res = await fetch(`${base}/newsletter/unsubscribe?token=${token}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(
        'Do you want to stop receiving News from Norrsken Urban Lab at xena@example.com?',
      );
      expect(html).toContain(`<form method="post" action="unsubscribe?token=${token}">`);
      expect(html).toContain('value="all"');
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(true);
    });

    it('unsubscribes at once on the RFC 8058 one-click POST: 200, no redirect, no cookie, idempotent', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await post(`/unsubscribe?token=${token}`, 'List-Unsubscribe=One-Click');
        expect(res.status).toBe(200);
        expect(res.headers.get('location')).toBeNull();
        expect(res.headers.get('set-cookie')).toBeNull();
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await res.text()).toBe('You have been unsubscribed.\n');
      }
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(false);
      expect(await p.store.subscribers.isDeliverable(id, 'nyheter')).toBe(true);
      expect((await subscriber('xena@example.com'))!.status).toBe('confirmed');
      expect(
        (await p.store.subscribers.history(id))
          .filter((e) => e.kind === 'unsubscribed')
          .map((e) => [e.listId, e.source]),
      ).toEqual([['news', 'one-click']]);
    });

    it('accepts the one-click body as multipart/form-data too', async () => {
      const form = new FormData();
      form.append('List-Unsubscribe', 'One-Click');
      const res = await fetch(`${base}/unsubscribe?token=${token}`, { method: 'POST', body: form });
      expect(res.status).toBe(200);
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(false);
    });

    it('takes the page button to leave every list, which suppresses the address', async () => {
      const res = await post(`/unsubscribe?token=${token}`, 'scope=all');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('xena@example.com will no longer receive');
      expect((await subscriber('xena@example.com'))!.status).toBe('unsubscribed');
      expect((await p.store.subscribers.suppression('xena@example.com'))?.reason).toBe('unsubscribed');
    });

    it('refuses a POST without the one-click field, and forged tokens, changing nothing', async () => {
      expect((await post(`/unsubscribe?token=${token}`, 'hello=world')).status).toBe(400);
      const forged = signToken('not-the-projects-secret-at-all!', {
        purpose: 'unsubscribe',
        subscriberId: id,
        lists: ['news'],
      });
      expect((await post(`/unsubscribe?token=${forged}`, 'List-Unsubscribe=One-Click')).status).toBe(400);
      expect(
        (await post(`/unsubscribe?token=${token.slice(0, -1)}`, 'List-Unsubscribe=One-Click')).status,
      ).toBe(400);
      expect((await post('/unsubscribe', 'List-Unsubscribe=One-Click')).status).toBe(400);
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(true);
    });

    it('lets someone who left come back only through a new confirmation', async () => {
      await post(`/unsubscribe?token=${token}`, 'scope=all');
      await subscribe({ email: 'xena@example.com', lists: 'news', lang: 'en' });
      expect(await outbox()).toHaveLength(2);
      expect((await subscriber('xena@example.com'))!.status).toBe('unsubscribed');
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(false);
      await confirm(await confirmLink((await outbox())[1]!));
      expect((await subscriber('xena@example.com'))!.status).toBe('confirmed');
      expect(await p.store.subscribers.suppression('xena@example.com')).toBeUndefined();
      expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(true);
      expect(await p.store.subscribers.isDeliverable(id, 'nyheter')).toBe(false);
    });
  });

  it('sends nothing to an address that bounced or complained, and says nothing about it', async () => {
    await p.store.subscribers.markBounced('yngve@example.com', '550 no such user', T0);
    const res = await subscribe({ email: 'yngve@example.com', lists: 'nyheter' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Titta i din inkorg');
    expect(await outbox()).toHaveLength(0);
    expect(await subscriber('yngve@example.com')).toBeUndefined();
  });

  it.each([
    [
      'an invalid address',
      { email: 'not an address', lists: 'nyheter' },
      400,
      'Skriv en giltig e-postadress',
    ],
    [
      'CR/LF in a field',
      { email: 'z@example.com', name: 'Zed\r\nBcc: victim@example.com', lists: 'nyheter' },
      400,
      'radbrytningar',
    ],
    [
      'an unknown list',
      { email: 'z@example.com', lists: 'sport' },
      400,
      'Det finns inget utskick som heter ”sport”',
    ],
    ['no list', { email: 'z@example.com' }, 400, 'Välj minst ett utskick'],
    [
      'an unknown language',
      { email: 'z@example.com', lists: 'news', lang: 'fi' },
      400,
      'Språket ”fi” finns inte',
    ],
    [
      'a name too long',
      { email: 'z@example.com', lists: 'news', name: 'x'.repeat(201) },
      400,
      'Namnet är för långt',
    ],
  ])('refuses %s with a clear 4xx and changes nothing', async (_what, fields, status, text) => {
    const res = await subscribe(fields);
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(html).toContain(text);
    expect(await collect(await p.store.subscribers.list())).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('keeps what was typed when the form comes back with an error', async () => {
    const html = await (await subscribe({ email: 'åsa@', name: 'Åsa <Öberg>', lists: 'news' })).text();
    expect(html).toContain('value="åsa@"');
    expect(html).toContain('value="Åsa &lt;Öberg&gt;"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toMatch(/value="news" checked>/);
    expect(html).not.toMatch(/value="nyheter" checked>/);
  });

  it('refuses an oversized body (413) and a body it cannot read (415)', async () => {
    const big = await subscribe({ email: 'big@example.com', lists: 'news', name: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    const json = await post('/subscribe', JSON.stringify({ email: 'j@example.com' }), {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(415);
    expect(await collect(await p.store.subscribers.list())).toEqual([]);
  });

  it('answers a filled honeypot like a success, doing nothing', async () => {
    const res = await subscribe({ email: 'bot@example.com', lists: 'news', website: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Titta i din inkorg');
    expect(await collect(await p.store.subscribers.list())).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('limits sign-ups per IP and confirmation mails per address, silently', async () => {
    await shutdown(server);
    await start({
      limits: { perIp: { limit: 3, windowMs: 60_000 }, perAddress: { limit: 2, windowMs: 3_600_000 } },
    });
    for (let i = 0; i < 3; i++)
      expect((await subscribe({ email: `p${i}@example.com`, lists: 'news' })).status).toBe(200);
    const limited = await subscribe({ email: 'p9@example.com', lists: 'news' });
    expect(limited.status).toBe(200);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(await limited.text()).toContain('Titta i din inkorg');
    expect(notes.at(-1)).toBe('rate limited (IP)');
    expect(await subscriber('p9@example.com')).toBeUndefined();
    clock = later(61_000);
    expect((await subscribe({ email: 'p8@example.com', lists: 'news' })).status).toBe(200);
    expect((await subscriber('p8@example.com'))?.email).toBe('p8@example.com');

    // One person, however the address is written.
    clock = later(200_000);
    const before = (await outbox()).length;
    for (const email of ['target@example.com', 'Target@Example.com', 'TARGET@example.com'])
      expect((await subscribe({ email, lists: 'news' })).status).toBe(200);
    expect((await outbox()).length - before).toBe(2);
    expect(notes.at(-1)).toBe('rate limited (address)');
  });

  it('answers every sign-up byte for byte alike: new, known, suppressed or rate-limited', async () => {
    await shutdown(server);
    await start({ limits: { perIp: { limit: 3, windowMs: 60_000 } } });
    const form = { email: 'same@example.com', lists: 'news', lang: 'en', name: 'Sam' };
    const replies: { status: number; headers: [string, string][]; body: string }[] = [];
    const ask = async () => {
      const res = await subscribe(form);
      const headers = [...res.headers].filter(([k]) => k !== 'date');
      replies.push({ status: res.status, headers, body: await res.text() });
    };
    await ask();
    await confirm(await confirmLink((await outbox())[0]!));
    await ask();
    await p.store.subscribers.markBounced('same@example.com', '550 5.1.1 no such user', T0);
    await ask();
    await ask();
    expect(notes.filter((n) => n !== 'confirmed')).toEqual([
      'confirmation queued',
      'no mail due',
      'no mail due',
      'rate limited (IP)',
    ]);
    expect(replies[0]!.status).toBe(200);
    for (const reply of replies.slice(1)) expect(reply).toEqual(replies[0]);
  });

  it('believes X-Forwarded-For only from the proxies in serve.trustProxy', async () => {
    await shutdown(server);
    await start({ limits: { perIp: { limit: 1, windowMs: 60_000 } } });
    await subscribe({ email: 'a@example.com', lists: 'news' }, { 'x-forwarded-for': '203.0.113.1' });
    await subscribe({ email: 'b@example.com', lists: 'news' }, { 'x-forwarded-for': '203.0.113.2' });
    expect((await subscriber('a@example.com'))!.consent.ip).toBe('127.0.0.1');
    expect(await subscriber('b@example.com')).toBeUndefined();
    expect(notes.at(-1)).toBe('rate limited (IP)');

    for (const [i, [trustProxy, forwarded, ip]] of (
      [
        [['127.0.0.1'], '198.51.100.7, 203.0.113.9', '203.0.113.9'],
        [['127.0.0.0/8', '10.0.0.0/8'], '198.51.100.7, 203.0.113.9, 10.1.2.3', '203.0.113.9'],
        [['127.0.0.1'], '127.0.0.1', '127.0.0.1'],
        [['127.0.0.1'], 'not-an-address', '127.0.0.1'],
        [['10.0.0.0/8'], '203.0.113.9', '127.0.0.1'],
        [['::1', '127.0.0.1'], '2001:db8::7', '2001:db8::7'],
      ] as const
    ).entries()) {
      await shutdown(server);
      await start({}, { ...p.config, serve: { trustProxy: [...trustProxy] } });
      const email = `c${i}@example.com`;
      await subscribe({ email, lists: 'news' }, { 'x-forwarded-for': forwarded });
      const s = (await subscriber(email))!;
      expect([forwarded, s.consent.ip]).toEqual([forwarded, ip]);
      const mail = (await outbox()).find((m) => m.includes(email))!;
      const link = local(await confirmLink(mail));
      await fetch(link, { method: 'POST', headers: { 'x-forwarded-for': forwarded } });
      const confirmed = (await p.store.subscribers.history(s.id)).find((e) => e.kind === 'confirmed')!;
      expect(confirmed.ip).toBe(ip);
    }
  });

  it('leaves the name out of the confirmation mail, and lets no form post change a subscriber', async () => {
    const hostile = 'URGENT: verify your account at http://evil.example/login';
    await subscribe({ email: 'zoe@example.com', lists: 'news', lang: 'en', name: hostile });
    const [raw] = await outbox();
    const mail = await simpleParser(raw!);
    const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join() : mail.to?.text;
    for (const shown of [raw!.toString('utf8'), mail.text, mail.html, to, mail.subject])
      expect(shown).not.toMatch(/URGENT|evil\.example/);
    expect(to).toBe('zoe@example.com');
    expect(await subscriber('zoe@example.com')).toMatchObject({
      name: hostile,
      lang: 'en',
      status: 'pending',
    });
    await subscribe({
      email: 'zoe@example.com',
      lists: ['news', 'nyheter'],
      lang: 'sv',
      name: 'Someone Else',
    });
    expect(await subscriber('zoe@example.com')).toMatchObject({
      name: hostile,
      lang: 'en',
      status: 'pending',
    });
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    const put = await fetch(`${base}/subscribe`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const root = await fetch(`${base}/newsletter/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([303, '/newsletter/subscribe']);
    const bare = await fetch(`${base}/newsletter`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([303, '/newsletter/subscribe']);
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
  });
});
