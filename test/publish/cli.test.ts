import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishResult } from '../../src/publish/publish.js';
import type { SendReleaseResult } from '../../src/publish/send.js';
import type { StatusResult } from '../../src/publish/status.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BERGRUM_EN, BERGRUM_SV, DUE, newsroom, readers, type Newsroom } from './newsroom.js';

describe('scs send, publish and status (the binary)', () => {
  let room: Newsroom;
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    room?.cleanup();
  });

  const scs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runScsAsync(args, { cwd: room.dir, env: { ...room.env, ...env } });
  const smtp = () => ({ SCS_SMTP_URL: server!.url });
  const outbox = () => readdirSync(path.join(room.dir, '.scs', 'outbox')).filter((f) => f.endsWith('.eml'));

  it('writes to the file outbox when no SMTP is configured, says so, and never counts it as delivered', async () => {
    room = newsroom();
    const sv = readers(5);
    await room.seed('nyheter', sv);
    await room.seed('news', ['english@example.com']);
    const published = await scs(['publish', '--now', DUE]);
    expect(published.code).toBe(0);
    expect(published.stderr).toContain(
      'Nobody is mailed: file outbox .scs/outbox/ (no SMTP configured: set SCS_SMTP_URL to send for real).',
    );
    expect(published.stdout, published.stderr).toContain(
      `${BERGRUM_SV} → nyheter (5 recipients, outbox): 5 sent`,
    );
    const files = outbox();
    expect(files).toHaveLength(6);
    expect(readFileSync(path.join(room.dir, '.scs', 'outbox', files[0]!), 'utf8')).toMatch(/^From: .*\r\n/);
    const status = await scs(['status', BERGRUM_SV]);
    expect(status.stdout).toContain(`${BERGRUM_SV} → nyheter over outbox (nobody mailed): done`);

    // SMTP arrives: the real subscribers have received nothing yet, so they all get it now, once.
    server = await startSmtpServer();
    const real = await scs(['publish', '--now', DUE, '--json'], smtp());
    expect(real.code).toBe(0);
    const result = JSON.parse(real.stdout) as PublishResult;
    expect(result.transport.kind).toBe('smtp');
    expect(result.dispatches.map((d) => [d.releaseId, d.transport, d.counts.sent])).toEqual([
      [BERGRUM_EN, 'smtp', 1],
      [BERGRUM_SV, 'smtp', 5],
    ]);
    for (const email of [...sv, 'english@example.com']) expect(server.count(email)).toBe(1);
    expect(outbox()).toHaveLength(6);
    const again = await scs(['publish', '--now', DUE], smtp());
    expect(again.stdout).toContain('No newsletter is due.');
    expect(server.received).toHaveLength(6);
  });

  it('publishes what came due once, mails nothing older than maxAge, and nothing twice', async () => {
    room = newsroom();
    const sv = readers(4);
    await room.seed('nyheter', sv);
    server = await startSmtpServer();
    // Six days after the press release: everything published is older than the 3 days of maxAge.
    const late = await scs(['publish', '--now', '2026-10-20T10:00', '--json'], smtp());
    expect(late.code).toBe(0);
    const lateResult = JSON.parse(late.stdout) as PublishResult;
    expect(lateResult.dispatches).toEqual([]);
    expect(lateResult.tooOld.sort()).toEqual(
      [BERGRUM_EN, BERGRUM_SV, 'sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret'].sort(),
    );
    expect(lateResult.site?.pages).toBeGreaterThan(0);
    expect(server.received).toHaveLength(0);

    const first = await scs(['publish', '--now', DUE], smtp());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`✓ ${BERGRUM_SV} → nyheter (4 recipients): 4 sent`);
    expect(first.stdout).toMatch(/Built \d+ pages in/);
    expect(first.stdout).toContain('not sent: 1 published release older than newsletter.maxAge (3 d)');
    expect(first.stdout).toContain('Next release due: 2027-01-15T08:00+01:00.');
    const second = await scs(['publish', '--now', DUE], smtp());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No newsletter is due.');
    expect(second.stdout).toContain('2 recent dispatches were sent earlier.');
    expect(server.received).toHaveLength(4);
    for (const email of sv) expect(server.count(email)).toBe(1);

    // The embargoed release goes out with the first run after its embargo.
    const embargo = await scs(['publish', '--now', '2027-01-15T08:05', '--json'], smtp());
    const embargoResult = JSON.parse(embargo.stdout) as PublishResult;
    expect(embargoResult.dispatches.map((d) => d.releaseId)).toEqual([
      'sv/skelleftea-testar-fossilfria-arbetsmaskiner-pa-byggarbetsplatser',
    ]);
    expect(server.received).toHaveLength(8);
  });

  it('stops before building or sending anything when the check finds errors', async () => {
    room = newsroom();
    await room.seed('nyheter', readers(2));
    server = await startSmtpServer();
    const bad = path.join(room.dir, 'releases', '2026', '2026-10-13-broken.sv.md');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, '---\ntitle: Trasig\ndate: not a date\nlang: sv\ntype: news\n---\n\nText.\n');
    const r = await scs(['publish', '--now', DUE], smtp());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('releases/2026/2026-10-13-broken.sv.md');
    expect(r.stderr).toContain('Nothing was built or sent');
    expect(server.received).toHaveLength(0);
  });

  it('lets one of two simultaneous runs send; the other says who holds the lock and sends nothing', async () => {
    room = newsroom({ concurrency: 2, timeoutMs: 120000 });
    const sv = readers(60);
    await room.seed('nyheter', sv);
    await room.seed('news', readers(10, 'english'));
    // The server takes the first messages and then stalls until the second run is over.
    let arrived: () => void;
    const firstMessage = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void;
    server = await startSmtpServer({ hold: new Promise<void>((resolve) => (release = resolve)) });
    server.script.rcpt = () => void arrived();
    const first = scs(['publish', '--now', DUE], smtp());
    await firstMessage;
    const second = await scs(['publish', '--now', DUE], smtp());
    release!();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /Another run is dispatching: "scs publish" \(pid \d+ on .+, started .+, last heartbeat \d+ s ago\)\. Nothing was sent\./,
    );
    const done = await first;
    expect(done.code).toBe(0);
    expect(server.received).toHaveLength(70);
    for (const email of [...sv, ...readers(10, 'english')]) expect(server.count(email)).toBe(1);
  });

  it('after kill -9 mid-dispatch to the outbox, resumes with nobody uncertain and no message twice', async () => {
    // Slowed by the rate limit, so that the run can be killed midway.
    room = newsroom({ rate: 400 });
    const sv = readers(600);
    await room.seed('nyheter', sv);
    const child = spawn(process.execPath, [BIN, 'send', BERGRUM_SV, '--now', DUE], {
      cwd: room.dir,
      env: { ...cleanEnv(), ...room.env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const started = Date.now();
    while (!existsSync(path.join(room.dir, '.scs', 'outbox')) || outbox().length < 100) {
      if (Date.now() - started > 20_000) throw new Error('the send never got going');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(outbox().length).toBeLessThan(600);

    const resumed = await scs(['send', BERGRUM_SV, '--now', DUE, '--json']);
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as SendReleaseResult;
    expect(result.recovered).toEqual([]);
    expect(result.dispatches[0]).toMatchObject({
      state: 'done',
      start: 'resumed',
      counts: { sent: 600, uncertain: 0, pending: 0, sending: 0 },
    });
    // One file per recipient: a message written again replaced its own file.
    const files = outbox();
    expect(files).toHaveLength(600);
    const to = files.map(
      (f) => /^To: .*<(.+)>\r$/m.exec(readFileSync(path.join(room.dir, '.scs', 'outbox', f), 'utf8'))![1],
    );
    expect(new Set(to)).toEqual(new Set(sv));
  });

  it('after kill -9 mid-dispatch, resumes: nobody missing, nobody twice except the few uncertain', async () => {
    room = newsroom({ concurrency: 4 });
    const sv = readers(150);
    await room.seed('nyheter', sv);
    let reached: () => void;
    const midway = new Promise<void>((resolve) => (reached = resolve));
    server = await startSmtpServer({
      delayMs: 15,
      onAccepted: (_to) => server!.received.length >= 40 && reached(),
    });
    const child = spawn(process.execPath, [BIN, 'send', BERGRUM_SV, '--now', DUE], {
      cwd: room.dir,
      env: { ...cleanEnv(), ...room.env, ...smtp() },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await midway;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const beforeResume = server.received.length;
    expect(beforeResume).toBeLessThan(150);

    const resumed = await scs(['send', BERGRUM_SV, '--now', DUE, '--json'], smtp());
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as SendReleaseResult;
    expect(result.tookOverFrom?.pid).toBe(child.pid);
    const uncertain = result.recovered[0]?.uncertain ?? 0;
    expect(uncertain).toBeLessThanOrEqual(4);
    const d = result.dispatches[0]!;
    expect(d).toMatchObject({
      state: 'done',
      start: 'resumed',
      counts: { uncertain, pending: 0, sending: 0 },
    });
    expect(d.counts.sent + uncertain).toBe(150);

    const store = await room.store();
    const inDoubt = new Set(
      (await store.ledger.problems(d.dispatchId!, 100))
        .filter((p) => p.status === 'uncertain')
        .map((p) => p.email),
    );
    await store.close();
    expect(inDoubt.size).toBe(uncertain);
    for (const email of sv) {
      if (inDoubt.has(email)) expect(server.count(email)).toBeLessThanOrEqual(1);
      else expect(server.count(email)).toBe(1);
    }
    const status = await scs(['status', BERGRUM_SV], smtp());
    if (uncertain) expect(status.stdout).toContain(`${uncertain} uncertain`);

    // On request, the uncertain ones get it (again): at most twice, and nobody else more.
    const resend = await scs(['send', BERGRUM_SV, '--now', DUE, '--resend-uncertain'], smtp());
    expect(resend.code).toBe(0);
    for (const email of sv) {
      if (inDoubt.has(email)) expect([1, 2]).toContain(server.count(email));
      else expect(server.count(email)).toBe(1);
    }
  });

  it('reports the plan on a dry run and the dispatches as JSON', async () => {
    room = newsroom();
    await room.seed('nyheter', readers(3));
    const dry = await scs([
      'send',
      path.join('releases', '2026', '2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md'),
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run through the outbox: nothing is sent.');
    expect(dry.stdout).toContain(`${BERGRUM_SV} → nyheter: would start: 3 recipients now`);
    const status = await scs(['status', '--json']);
    expect((JSON.parse(status.stdout) as StatusResult).dispatches).toEqual([]);
    const sent = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(sent.code).toBe(0);
    const json = JSON.parse((await scs(['status', 'bergrum-2026', '--json'])).stdout) as StatusResult;
    expect(json.dispatches).toHaveLength(1);
    expect(json.dispatches[0]).toMatchObject({
      dispatch: { releaseId: BERGRUM_SV, listId: 'nyheter', transport: 'outbox', state: 'done', total: 3 },
      counts: { sent: 3 },
    });
  });

  it('tells a repeated send what it sent now from what was sent before', async () => {
    room = newsroom();
    await room.seed('nyheter', readers(3));
    const first = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(first.stdout, first.stderr).toContain(`${BERGRUM_SV} → nyheter (3 recipients, outbox): 3 sent in`);
    const again = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `${BERGRUM_SV} → nyheter (3 recipients, outbox): 0 sent now, 3 sent before; nothing to do.\n`,
    );
    await room.seed('nyheter', ['late@example.com']);
    const late = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(late.stdout).toContain('(1 new subscriber added): 1 sent now, 3 sent before in');
    expect(outbox()).toHaveLength(4);
  });

  it('announces a secret key it generates, whichever command opens the store first', async () => {
    for (const command of [
      ['send', BERGRUM_SV, '--now', DUE],
      ['publish', '--now', DUE],
    ]) {
      room = newsroom();
      const env = { SCS_SECRET: undefined };
      const key = path.join(room.dir, '.scs', 'secret');
      // A dry run writes nothing, the key included.
      const dry = await scs([...command, '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(existsSync(key)).toBe(false);
      const first = await scs(command, env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(
        'No SCS_SECRET set: generated a key in .scs/secret for signed links and the suppression list.',
      );
      expect(existsSync(key)).toBe(true);
      const second = await scs(command, env);
      expect(second.stderr).not.toContain('generated a key');
      await room.cleanup();
    }
  });

  it('exits 2 on usage mistakes and 1 on a release that may not be mailed yet', async () => {
    room = newsroom();
    const unknown = await scs(['send', 'no-such-release']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[release-unknown]');
    const badUrl = await scs(['send', BERGRUM_SV, '--now', DUE], { SCS_SMTP_URL: 'http://mail.example.se' });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('[smtp-url-invalid]');
    const badRate = await scs(['send', BERGRUM_SV, '--rate', 'fast']);
    expect(badRate.code).toBe(2);
    const embargoed = await scs([
      'send',
      'sv/skelleftea-testar-fossilfria-arbetsmaskiner-pa-byggarbetsplatser',
      '--now',
      DUE,
    ]);
    expect(embargoed.code).toBe(1);
    expect(embargoed.stderr).toContain('[release-not-published]');
  });
});
