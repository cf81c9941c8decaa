import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, exampleProject, REPO, runScs } from '../helpers/scs.js';

const fixture = (name: string) => path.join(REPO, 'test', 'fixtures', 'subscribers', name, 'people.csv');

// Each run of the binary starts a whole Node process: generous time on a busy machine.
describe('scs subscribers (the real binary)', { timeout: 240_000 }, () => {
  let project: ReturnType<typeof exampleProject>;
  const scs = (...args: string[]) => runScs(args, { cwd: project.dir });
  const json = (...args: string[]) => {
    const r = scs(...args, '--json');
    expect(r.stderr.includes('internal error')).toBe(false);
    return JSON.parse(r.stdout);
  };
  beforeEach(async () => {
    project = exampleProject();
  });
  afterEach(async () => await project.cleanup());

  it('adds, lists and shows, with a generated key announced once', async () => {
    const first = scs('subscribers', 'add', 'Rut.Ek@Example.com', '--list', 'nyheter', '--name', 'Rut Ek');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('Added Rut.Ek@example.com (pending) to nyheter (pending).\n');
    expect(first.stderr).toContain('No SCS_SECRET set: generated a key in .scs/secret');
    expect(first.stderr).toContain('Sent a confirmation mail through the file outbox .scs/outbox/');
    expect(
      readdirSync(path.join(project.dir, '.scs', 'outbox')).filter((f) => f.endsWith('.eml')),
    ).toHaveLength(1);

    const second = scs(
      'subscribers',
      'add',
      'sam@example.org',
      '--list',
      'news,nyheter',
      '--confirmed',
      '--lang',
      'en',
    );
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('generated a key');
    expect(second.stdout).toBe('Added sam@example.org (confirmed) to news, nyheter.\n');

    const listed = json('subscribers', 'list', '--list', 'news');
    expect(listed.map((s: { email: string }) => s.email)).toEqual(['sam@example.org']);
    const table = scs('subscribers', 'list');
    expect(table.stdout).toMatch(/Rut\.Ek@example\.com\s+pending\s+sv\s+nyheter \(pending\)\s+Rut Ek/);
    expect(table.stderr).toContain('2 subscribers.');

    const shown = json('subscribers', 'show', 'sam@example.org');
    expect(shown.subscriber).toMatchObject({
      email: 'sam@example.org',
      status: 'confirmed',
      language: 'en',
      consent: { source: 'cli' },
    });
    expect(shown.suppression).toBeNull();
  });

  it('removes, erases, and keeps the erased address out until forced back', async () => {
    scs('subscribers', 'add', 'sam@example.org', '--list', 'news,nyheter', '--confirmed');
    const removed = scs('subscribers', 'remove', 'sam@example.org', '--list', 'news');
    expect([removed.code, removed.stdout]).toEqual([0, 'Removed sam@example.org from news.\n']);
    expect(
      json('subscribers', 'show', 'sam@example.org').history.map((e: { kind: string }) => e.kind),
    ).toEqual(['unsubscribed']);

    const erased = scs('subscribers', 'erase', 'sam@example.org', '--yes');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain('Erased sam@example.org');
    const after = json('subscribers', 'show', 'sam@example.org');
    expect(after).toMatchObject({ subscriber: null, history: [], suppression: { reason: 'erased' } });
    const back = scs('subscribers', 'add', 'sam@example.org', '--list', 'news', '--confirmed');
    expect(back.code).toBe(1);
    expect(back.stderr).toContain(
      'sam@example.org is not added: on the suppression list (erased). [subscriber-suppressed]',
    );
    expect(
      scs('subscribers', 'add', 'sam@example.org', '--list', 'news', '--confirmed', '--force-resubscribe')
        .code,
    ).toBe(0);
  });

  it('shows a status once, with how it came about', async () => {
    scs('subscribers', 'add', 'tor@example.org', '--list', 'news', '--confirmed');
    expect(scs('subscribers', 'remove', 'tor@example.org').code).toBe(0);
    expect(scs('subscribers', 'show', 'tor@example.org').stdout).toContain(
      '\n  Status:     unsubscribed (via cli)\n',
    );
    scs('subscribers', 'add', 'nils.bounced@example.com', '--list', 'news', '--confirmed');
    scs('subscribers', 'import', fixture('status-column'), '--confirmed');
    expect(scs('subscribers', 'show', 'nils.bounced@example.com').stdout).toContain(
      '\n  Status:     bounced (marked in people.csv:5)\n',
    );
  });

  it('erases only when told --yes, or when the person at the terminal says yes', async () => {
    scs('subscribers', 'add', 'sam@example.org', '--list', 'news', '--confirmed');
    const stored = () => json('subscribers', 'show', 'sam@example.org').subscriber !== null;
    const refused = scs('subscribers', 'erase', 'sam@example.org');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'Not erasing sam@example.org: erasure cannot be undone and there is no terminal to ask on. [usage]',
    );
    expect(refused.stderr).toContain('Pass --yes to erase without being asked.');
    expect(refused.stdout).toBe('');
    expect(stored()).toBe(true);

    // On a terminal (a pseudo-terminal from util-linux `script`) it asks; only a yes erases.
    const onTerminal = (answer: string) =>
      spawnSync(
        'script',
        ['-qec', `"${process.execPath}" "${BIN}" subscribers erase sam@example.org`, '/dev/null'],
        {
          cwd: project.dir,
          env: cleanEnv(),
          input: answer,
          encoding: 'utf8',
        },
      );
    const no = onTerminal('n\n');
    expect(no.status).toBe(1);
    expect(no.stdout).toContain(
      'Erase everything stored about sam@example.org? This cannot be undone. [y/N] ',
    );
    expect(no.stdout).toContain('Nothing was erased.');
    expect(stored()).toBe(true);
    const yes = onTerminal('y\n');
    expect(yes.status).toBe(0);
    expect(yes.stdout).toContain('Erased sam@example.org');
    expect(stored()).toBe(false);

    const forced = scs('subscribers', 'erase', 'bo@example.org', '--yes');
    expect([forced.code, forced.stdout]).toEqual([
      0,
      'Nothing was stored about bo@example.org; the address is now on the suppression list (as a keyed hash).\n',
    ]);
  });

  it('gives usage errors (exit 2) for a bad address, an unknown list, a missing list and a bad status', async () => {
    const bad = scs('subscribers', 'add', 'not-an-address', '--list', 'news');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '"not-an-address" is not a valid email address: the address has no "@". [email-invalid]',
    );
    const unknown = scs('subscribers', 'add', 'a@example.com', '--list', 'nyhetr');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no list "nyhetr". [list-unknown]');
    expect(unknown.stderr).toContain('Configured lists: nyheter, news. Did you mean "nyheter"?');
    const missing = scs('subscribers', 'add', 'a@example.com', '--confirmed');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'Name the list: 2 lists are configured (nyheter, news). [list-required]',
    );
    expect(scs('subscribers', 'list', '--status', 'happy').code).toBe(2);
    expect(scs('subscribers', 'show', 'nobody@example.com').code).toBe(1);
    expect(scs('subscribers', 'add').code).toBe(2);
  });

  it('imports with a report, refuses a file with bad rows (exit 1, file:line), and is idempotent', async () => {
    const bad = scs('subscribers', 'import', fixture('bad-rows'), '--confirmed');
    expect(bad.code).toBe(1);
    const shown = path.relative(project.dir, fixture('bad-rows'));
    expect(bad.stderr).toContain(`${shown}:3 error "not-an-address" is not a valid email address`);
    expect(bad.stderr).toContain('> 3 | not-an-address,Nobody,sv,nyheter');
    expect(bad.stderr).toContain('Nothing was written: 6 invalid rows. Fix them, or pass --skip-invalid.');
    expect(json('subscribers', 'list')).toEqual([]);

    const dry = scs('subscribers', 'import', fixture('bom-semicolon'), '--list', 'nyheter', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/added\s+3/);
    expect(dry.stderr).toContain('Dry run: nothing was written.');
    expect(json('subscribers', 'list')).toEqual([]);

    const real = json('subscribers', 'import', fixture('bom-semicolon'), '--list', 'nyheter', '--confirmed');
    expect([real.added.length, real.applied]).toEqual([3, true]);
    const again = scs('subscribers', 'import', fixture('bom-semicolon'), '--list', 'nyheter', '--confirmed');
    expect(again.stdout).toMatch(/added\s+0\n\s+updated\s+0\n\s+unchanged\s+3/);

    const missing = scs('subscribers', 'import', 'nope.csv', '--list', 'news');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read nope.csv: ENOENT. [import-unreadable]');
  });

  it('exports CSV that imports back into another project unchanged', async () => {
    scs('subscribers', 'import', fixture('quoted-fields'), '--list', 'news', '--confirmed', '--skip-invalid');
    scs('subscribers', 'add', 'pending@example.com', '--list', 'nyheter');
    const out = scs('subscribers', 'export', '--output', 'backup.csv');
    expect(out.code).toBe(0);
    const csv = readFileSync(path.join(project.dir, 'backup.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'email,name,language,status,lists,consent_source,consent_at,consent_ip,consent_detail,confirmed_at,created_at',
    );
    expect(csv).toContain('"Lindqvist, Åke"');
    expect(scs('subscribers', 'export').stdout).toBe(csv);

    const other = exampleProject();
    try {
      writeFileSync(path.join(other.dir, 'backup.csv'), csv);
      const imported = runScs(['subscribers', 'import', 'backup.csv', '--json'], { cwd: other.dir });
      expect(imported.code).toBe(0);
      const report = JSON.parse(imported.stdout);
      expect(report.added).toHaveLength(4);
      expect(report.ignoredColumns).toEqual([
        'consent_source',
        'consent_at',
        'consent_ip',
        'consent_detail',
        'confirmed_at',
        'created_at',
      ]);
      const pick = (
        list: { email: string; name: string; language: string; status: string; lists: { id: string }[] }[],
      ) => list.map((s) => [s.email, s.name, s.language, s.status, s.lists.map((l) => l.id)]);
      const mine = JSON.parse(scs('subscribers', 'list', '--json').stdout);
      const theirs = JSON.parse(runScs(['subscribers', 'list', '--json'], { cwd: other.dir }).stdout);
      expect(pick(theirs)).toEqual(pick(mine));
    } finally {
      other.cleanup();
    }
  });

  it('serves until SIGTERM, then stops cleanly', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: project.dir,
      env: cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`scs serve exited: ${stderr}`)));
    });
    const page = await fetch(`${url}subscribe?lang=en`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Subscribe to news from Norrsken Urban Lab');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toContain('GET /subscribe 200');
    expect(stderr).toContain('SIGTERM: finishing open requests…');
    expect(stderr).toContain('Stopped.');
  });

  it('refuses a port that is taken, with a clear message', async () => {
    const blocker = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
          cwd: project.dir,
          env: cleanEnv(),
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `Cannot listen on 127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use. [serve-listen-failed]`,
      );
    } finally {
      blocker.close();
    }
  });
});
