import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openStore } from '../../src/store/open.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { reconfirmSubscribers } from '../../src/subscribers/reconfirm.js';
import { requestSubscription } from '../../src/subscribers/subscribe.js';
import { exampleProject, runScs, runScsAsync } from '../helpers/scs.js';
import { later, subscriberProject, T0 } from './project.js';

// The example project's confirmation links live 7 days (newsletter.confirmTokenTtl's default). The
// imports happen at the real time, so `--now` is counted from it.
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface Report {
  dryRun: boolean;
  sent: { email: string; lists: string[] }[];
  outstanding: { email: string; lists: string[] }[];
  tooRecent: { email: string; lists: string[] }[];
  failed: { email: string; lists: string[]; response?: string }[];
}

/** The report as printed when nobody was skipped. */
const printed = (head: string, ...people: string[]) =>
  [
    head,
    ...people.map((p) => `  ${p}`),
    'Skipped: 0 with a confirmation link still valid, 0 pending for less than --older-than.\n',
  ].join('\n');
const emails = (entries: { email: string }[]) => entries.map((e) => e.email);

describe('scs subscribers reconfirm (the real binary)', { timeout: 240_000 }, () => {
  let project: ReturnType<typeof exampleProject>;
  const scs = (...args: string[]) => runScs(args, { cwd: project.dir });
  const reconfirm = (...args: string[]): Report => {
    const r = scs('subscribers', 'reconfirm', ...args, '--json');
    expect(r.stderr).not.toContain('internal error');
    return JSON.parse(r.stdout);
  };
  const outbox = () => {
    const dir = path.join(project.dir, '.scs', 'outbox');
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      return [];
    }
  };
  /** Imports people without --confirmed: they wait for a confirmation nobody has sent them. */
  const importPending = (rows: string[], ...args: string[]) => {
    writeFileSync(path.join(project.dir, 'people.csv'), ['email,name,lists', ...rows].join('\n'));
    const r = scs('subscribers', 'import', 'people.csv', ...args);
    expect(r.code).toBe(0);
    expect(outbox()).toHaveLength(0);
  };
  beforeEach(async () => {
    project = exampleProject();
  });
  afterEach(async () => await project.cleanup());

  it('mails each pending person once, not again while the link lives, and again once it has expired', async () => {
    importPending(['anna@example.org,Anna Berg,nyheter', 'bo@example.org,Bo,nyheter;news']);

    const first = scs('subscribers', 'reconfirm');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      printed(
        'Sent 2 confirmation mails through the file outbox .scs/outbox/ (no SMTP configured: set SCS_SMTP_URL to send for real).',
        'anna@example.org  nyheter',
        'bo@example.org  news, nyheter',
      ),
    );
    const mails = outbox();
    expect(mails).toHaveLength(2);
    const anna = mails.find((m) => /^To: <?anna@example\.org>?\r?$/m.test(m))!;
    expect(anna).toContain('/newsletter/confirm?token=');
    // The mail names no one: the name came from a file, not from the person.
    expect(anna).not.toContain('Anna Berg');

    const again = reconfirm('--now', inDays(6));
    expect(emails(again.sent)).toEqual([]);
    expect(again.outstanding).toEqual([
      { email: 'anna@example.org', lists: ['nyheter'] },
      { email: 'bo@example.org', lists: ['news', 'nyheter'] },
    ]);
    expect(outbox()).toHaveLength(2);

    const expired = reconfirm('--now', inDays(8));
    expect(emails(expired.sent)).toEqual(['anna@example.org', 'bo@example.org']);
    expect(outbox()).toHaveLength(4);

    const history = JSON.parse(scs('subscribers', 'show', 'anna@example.org', '--json').stdout).history;
    expect(history.map((e: { kind: string; source: string }) => [e.kind, e.source])).toEqual([
      ['confirmation-sent', 'reconfirm'],
      ['confirmation-sent', 'reconfirm'],
    ]);
  });

  it('leaves alone whoever already got a mail from `subscribers add`', async () => {
    importPending(['dan@example.org,,news']);
    expect(scs('subscribers', 'add', 'cia@example.org', '--list', 'news').code).toBe(0);
    expect(outbox()).toHaveLength(1);
    const r = reconfirm();
    expect([emails(r.sent), emails(r.outstanding)]).toEqual([['dan@example.org'], ['cia@example.org']]);
  });

  it('--list mails only about that list', async () => {
    importPending(['anna@example.org,,nyheter', 'bo@example.org,,nyheter;news', 'cia@example.org,,news']);
    const r = reconfirm('--list', 'news');
    expect(r.sent).toEqual([
      { email: 'bo@example.org', lists: ['news'] },
      { email: 'cia@example.org', lists: ['news'] },
    ]);
    // Bo's mail about news leaves nyheter still to ask about.
    expect(reconfirm().sent).toEqual([
      { email: 'anna@example.org', lists: ['nyheter'] },
      { email: 'bo@example.org', lists: ['nyheter'] },
    ]);
    const unknown = scs('subscribers', 'reconfirm', '--list', 'nyhetr');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no list "nyhetr". [list-unknown]');
  });

  it('--older-than leaves out those pending for less than that', async () => {
    importPending(['anna@example.org,,nyheter']);
    const early = reconfirm('--older-than', '1d');
    expect([emails(early.sent), emails(early.tooRecent)]).toEqual([[], ['anna@example.org']]);
    expect(outbox()).toHaveLength(0);
    expect(emails(reconfirm('--older-than', '1d', '--now', inDays(1.1)).sent)).toEqual(['anna@example.org']);

    const bad = scs('subscribers', 'reconfirm', '--older-than', 'a while');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--older-than "a while" is not a duration. [usage]');
  });

  it('--dry-run lists who would be mailed, and sends and records nothing', async () => {
    importPending(['anna@example.org,,nyheter', 'bo@example.org,,news']);
    const dry = scs('subscribers', 'reconfirm', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      printed('Would send 2 confirmation mails.', 'anna@example.org  nyheter', 'bo@example.org  news'),
    );
    expect(dry.stderr).toContain('Dry run: nothing was sent or recorded.');
    expect(outbox()).toHaveLength(0);
    expect(emails(reconfirm().sent)).toEqual(['anna@example.org', 'bo@example.org']);
  });

  it('never mails a suppressed, unsubscribed or erased address', async () => {
    importPending([
      'anna@example.org,,nyheter',
      'bo@example.org,,nyheter',
      'cia@example.org,,nyheter',
      'dan@example.org,,nyheter',
    ]);
    // Bo's address is suppressed while he is still pending (the store's own API, as a bounce would).
    const store = await openStore(loadConfig({ root: project.dir, env: {} }));
    try {
      await store.subscribers.suppress('BO@example.org', 'bounced', new Date());
    } finally {
      await store.close();
    }
    expect(scs('subscribers', 'remove', 'cia@example.org').code).toBe(0);
    expect(scs('subscribers', 'erase', 'dan@example.org', '--yes').code).toBe(0);
    const r = reconfirm();
    expect(r).toMatchObject({ sent: [{ email: 'anna@example.org' }], outstanding: [], tooRecent: [] });
    expect(outbox().map((m) => /^To: <?([^>\r\n]*)>?\r?$/m.exec(m)?.[1])).toEqual(['anna@example.org']);
  });

  describe('over SMTP', () => {
    let smtp: TestSmtpServer;
    afterEach(async () => smtp.close());

    it('sends over one connection, reports a refused address as failed (exit 1), and retries it next time', async () => {
      importPending(['anna@example.org,,nyheter', 'bo@example.org,,nyheter', 'cia@example.org,,nyheter']);
      smtp = await startSmtpServer({
        rcpt: (to, attempt) =>
          to === 'bo@example.org' && attempt === 1 ? { code: 450, message: 'Mailbox busy' } : undefined,
      });
      const run = () =>
        runScsAsync(['subscribers', 'reconfirm', '--json'], {
          cwd: project.dir,
          env: { SCS_SMTP_URL: smtp.url },
        });
      const first = await run();
      expect(first.code).toBe(1);
      const report: Report = JSON.parse(first.stdout);
      expect(emails(report.sent)).toEqual(['anna@example.org', 'cia@example.org']);
      expect(report.failed).toMatchObject([{ email: 'bo@example.org', lists: ['nyheter'] }]);
      expect(report.failed[0]!.response).toContain('Mailbox busy');
      expect(smtp.received.map((m) => m.to)).toEqual(['anna@example.org', 'cia@example.org']);
      expect(smtp.sessions.total).toBe(1);

      const second: Report = JSON.parse((await run()).stdout);
      expect([emails(second.sent), emails(second.outstanding)]).toEqual([
        ['bo@example.org'],
        ['anna@example.org', 'cia@example.org'],
      ]);
      expect(smtp.count('bo@example.org')).toBe(1);
    });
  });
});

describe('reconfirmSubscribers (the library)', () => {
  it('counts a sign-up by the form as a mail already sent, until its link expires', async () => {
    const p = await subscriberProject();
    try {
      const form = { name: null, lang: 'sv', lists: ['nyheter'], ip: '192.0.2.1', now: T0 };
      await requestSubscription(p.store, { ...form, email: 'ebba@example.org' });
      const at = (ms: number) => reconfirmSubscribers(p.config, p.store, { dryRun: true, now: later(ms) });
      const ttl = p.config.newsletter.confirmTokenTtlMs;
      expect(await at(ttl - 1)).toEqual({
        dryRun: true,
        sent: [],
        outstanding: [{ email: 'ebba@example.org', lists: ['nyheter'] }],
        tooRecent: [],
        failed: [],
      });
      expect((await at(ttl)).sent).toEqual([{ email: 'ebba@example.org', lists: ['nyheter'] }]);
    } finally {
      await p.cleanup();
    }
  });
});
