import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishResult } from '../../src/publish/publish.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';
import { DUE, newsroom, readers, type Newsroom } from './newsroom.js';

/** Two press lists on energy (sv, en), one on mobility (sv), beside the example's public lists. */
const PRESS_LISTS = `    redaktioner:
      lang: sv
      name: Redaktioner, energi
      audience: press
      topics: [energi]
    newsdesks:
      lang: en
      name: Newsdesks
      audience: press
    trafikredaktioner:
      lang: sv
      name: Redaktioner, trafik
      audience: press
      topics: [mobilitet]
`;

/** An embargoed release in both languages, briefed two hours before the embargo (10:00 Stockholm time). */
const SOLAR = {
  sv: {
    id: 'sv/solpaneler-pa-varje-tak-i-kvarteret-lonnen',
    file: 'releases/2027/2027-02-01-solpaneler-lonnen.sv.md',
    title: 'Solpaneler på varje tak i kvarteret Lönnen',
    lead: 'Alla tolv hus i kvarteret Lönnen får solpaneler under våren.',
    body: 'Panelerna beräknas ge en fjärdedel av husens el under ett normalår.',
  },
  en: {
    id: 'en/solar-panels-on-every-roof-in-the-maple-block',
    file: 'releases/2027/2027-02-01-solar-maple.en.md',
    title: 'Solar panels on every roof in the Maple block',
    lead: 'All twelve buildings in the Maple block get solar panels this spring.',
    body: 'The panels are expected to cover a quarter of the buildings’ electricity in a normal year.',
  },
};

function writeSolar(
  room: Newsroom,
  lang: 'sv' | 'en',
  extra: { embargo?: string; prebrief?: string; more?: string } = {},
) {
  const r = SOLAR[lang];
  const lines = [
    '---',
    `title: ${r.title}`,
    'date: 2027-02-01',
    ...(extra.embargo === '' ? [] : [`embargo: ${extra.embargo ?? '2027-02-01T10:00'}`]),
    `prebrief: ${extra.prebrief ?? '2h'}`,
    'type: press-release',
    `lang: ${lang}`,
    'translationKey: solar-maple',
    `lead: ${r.lead}`,
    'contacts: [oskar-lindahl]',
    'topics: [energi]',
    ...(extra.more ? [extra.more] : []),
    '---',
    '',
    r.body,
    '',
  ];
  writeFileSync(path.join(room.dir, r.file), lines.join('\n'));
}

function withPressLists(room: Newsroom, lists = PRESS_LISTS) {
  const file = path.join(room.dir, 'scs.config.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}lists:\n/m, `  lists:\n${lists}`));
}

interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** Every message in the outbox, decoded enough to read: its recipient, subject and whole text. */
function outbox(room: Newsroom): Mail[] {
  const dir = path.join(room.dir, '.scs', 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((file) => {
      const raw = readFileSync(path.join(dir, file), 'utf8');
      const header = (name: string) => {
        const m = new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, 'm').exec(raw);
        return (m?.[1] ?? '').replace(/\r\n[ \t]/g, ' ');
      };
      const subject = header('Subject').replace(
        /=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi,
        (_m, enc: string, t: string) =>
          enc.toUpperCase() === 'B'
            ? Buffer.from(t, 'base64').toString('utf8')
            : Buffer.from(
                t
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              ).toString('utf8'),
      );
      const text = decodeParts(raw);
      return { file, to: /<([^>]+)>/.exec(header('To'))?.[1] ?? header('To'), subject, text };
    });
}

/** The text of every part, undoing quoted-printable and base64. */
function decodeParts(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split(/\r\n--[^\r\n]+\r\n/)) {
    const [head = '', ...rest] = part.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    if (/Content-Transfer-Encoding: base64/i.test(head))
      out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    else if (/Content-Transfer-Encoding: quoted-printable/i.test(head))
      out.push(
        Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
      );
    else out.push(body);
  }
  return out.join('\n');
}

/** Every file under the site's output folder, with its text. */
function publicFiles(room: Newsroom): [string, string][] {
  const dir = path.join(room.dir, 'public');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return [path.relative(dir, file), readFileSync(file, 'utf8')];
    });
}

describe('the press office’s mail: briefings, notices, corrections (the binary)', () => {
  let room: Newsroom;
  afterEach(async () => room?.cleanup());

  const scs = (args: string[]) => runScsAsync(args, { cwd: room.dir, env: room.env });
  const publish = async (now: string) => {
    const r = await scs(['publish', '--now', now, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout) as PublishResult;
  };
  const to = (mails: Mail[]) => mails.map((m) => m.to).sort();

  it('briefs the press lists only, before the embargo, and sends the public newsletter after it', async () => {
    room = newsroom();
    withPressLists(room);
    writeSolar(room, 'sv');
    writeSolar(room, 'en');
    const journalists = await room.seed('redaktioner', ['ada@tidning.test', 'bo@radio.test']);
    await room.seed('newsdesks', ['cy@paper.test']);
    await room.seed('trafikredaktioner', ['dan@trafik.test']);
    await room.seed('nyheter', ['eva@example.com']);
    await room.seed('news', ['fay@example.com']);
    expect(journalists).toHaveLength(2);

    // Three hours before the embargo: too early to brief.
    const early = await publish('2027-02-01T07:00');
    expect(early.dispatches).toEqual([]);
    // A scheduler hears when to run for the briefing.
    expect([early.nextDue, early.nextDueReason]).toEqual(['2027-02-01T07:00:00.000Z', 'briefing']);
    expect(outbox(room)).toEqual([]);

    const briefing = await publish('2027-02-01T08:00');
    expect(briefing.dispatches.map((d) => [d.releaseId, d.listId, d.kind, d.counts.sent])).toEqual([
      [SOLAR.en.id, 'newsdesks', 'briefing', 1],
      [SOLAR.sv.id, 'redaktioner', 'briefing', 2],
    ]);
    const briefed = outbox(room);
    expect(to(briefed)).toEqual(['ada@tidning.test', 'bo@radio.test', 'cy@paper.test']);
    const sv = briefed.find((m) => m.to === 'ada@tidning.test')!;
    const en = briefed.find((m) => m.to === 'cy@paper.test')!;
    expect(sv.subject).toBe(`EMBARGO 2027-02-01 10:00 CET: ${SOLAR.sv.title}`);
    expect(en.subject).toBe(`EMBARGO 2027-02-01 10:00 CET: ${SOLAR.en.title}`);
    expect(sv.text).toContain('Under embargo: får inte publiceras före 2027-02-01 10:00 CET.');
    expect(en.text).toContain('Under embargo: not for publication before 2027-02-01 10:00 CET.');
    // The banner comes first, then the release; every mail has a working unsubscribe link.
    expect(en.text.indexOf('not for publication')).toBeLessThan(en.text.indexOf(SOLAR.en.lead));
    for (const m of briefed) expect(m.text).toMatch(/unsubscribe\?token=/);
    // No link to a page that is not out yet.
    expect(en.text).not.toContain('solar-panels-on-every-roof');

    // Nothing public before the embargo: no page, feed, sitemap or search entry names it.
    for (const [file, text] of publicFiles(room)) {
      for (const r of Object.values(SOLAR)) {
        expect(text, file).not.toContain(r.title);
        expect(text, file).not.toContain(r.id.slice(3));
      }
    }
    // Briefed once: a run in the window again sends nothing.
    expect((await publish('2027-02-01T09:00')).dispatches).toEqual([]);

    const after = await publish('2027-02-01T10:05');
    expect(after.dispatches.map((d) => [d.releaseId, d.listId, d.kind ?? 'newsletter'])).toEqual([
      [SOLAR.en.id, 'news', 'newsletter'],
      [SOLAR.sv.id, 'nyheter', 'newsletter'],
    ]);
    expect(after.skipped).toEqual(
      expect.arrayContaining([
        { releaseId: SOLAR.sv.id, listId: 'redaktioner', reason: 'briefed' },
        { releaseId: SOLAR.en.id, listId: 'newsdesks', reason: 'briefed' },
      ]),
    );
    const mails = outbox(room);
    expect(to(mails.filter((m) => !m.subject.startsWith('EMBARGO')))).toEqual([
      'eva@example.com',
      'fay@example.com',
    ]);
    expect(mails.some((m) => m.to === 'dan@trafik.test')).toBe(false);
    expect(publicFiles(room).some(([, text]) => text.includes(SOLAR.sv.title))).toBe(true);

    // `scs send` tops up the public lists; the briefed press list is not mailed the release again.
    const send = await scs(['send', SOLAR.sv.id, '--now', '2027-02-01T10:10', '--json']);
    expect(send.code, send.stderr).toBe(0);
    expect((JSON.parse(send.stdout) as PublishResult).dispatches.map((d) => d.listId)).toEqual(['nyheter']);
    expect(outbox(room)).toHaveLength(mails.length);

    const status = await scs(['status', SOLAR.sv.id]);
    expect(status.stdout).toContain('briefed 2 journalists');
  });

  it('tells exactly the briefed journalists, once each, that the embargo moved and that the release is withdrawn', async () => {
    room = newsroom();
    withPressLists(room);
    writeSolar(room, 'sv');
    await room.seed('redaktioner', ['ada@tidning.test', 'bo@radio.test']);
    await publish('2027-02-01T08:00');
    expect(outbox(room)).toHaveLength(2);
    // Joined after the briefing: never briefed, so never told.
    await room.seed('redaktioner', ['gus@tidning.test']);

    writeSolar(room, 'sv', { embargo: '2027-02-01T14:00' });
    const moved = await publish('2027-02-01T09:00');
    expect(moved.dispatches.map((d) => [d.listId, d.kind, d.variant, d.counts.sent])).toEqual([
      ['redaktioner', 'notice', 'embargo:2027-02-01T13:00:00.000Z', 2],
    ]);
    const notices = outbox(room).filter((m) => m.subject.startsWith('EMBARGOT FLYTTAT'));
    expect(to(notices)).toEqual(['ada@tidning.test', 'bo@radio.test']);
    expect(notices[0]!.subject).toBe(`EMBARGOT FLYTTAT till 2027-02-01 14:00 CET: ${SOLAR.sv.title}`);
    expect(notices[0]!.text).toContain('Embargot är flyttat till 2027-02-01 14:00 CET.');
    expect((await publish('2027-02-01T09:30')).dispatches).toEqual([]);

    writeSolar(room, 'sv', { embargo: '2027-02-01T14:00', more: 'withdrawn: true' });
    const withdrawn = await publish('2027-02-01T10:00');
    expect(withdrawn.dispatches.map((d) => [d.kind, d.variant, d.counts.sent])).toEqual([
      ['notice', 'withdrawn', 2],
    ]);
    const told = outbox(room).filter((m) => m.subject.startsWith('TILLBAKADRAGET'));
    expect(to(told)).toEqual(['ada@tidning.test', 'bo@radio.test']);
    expect(told[0]!.text).toContain('Pressmeddelandet är tillbakadraget.');
    expect((await publish('2027-02-01T15:00')).dispatches).toEqual([]);
    expect(outbox(room).some((m) => m.to === 'gus@tidning.test')).toBe(false);
  });

  it('mails each correction once, to exactly those the release was sent to and who stayed', async () => {
    room = newsroom();
    const [, , leaver] = await room.seed('nyheter', ['a@example.com', 'b@example.com', 'c@example.com']);
    await publish(DUE);
    expect(outbox(room)).toHaveLength(3);
    await room.seed('nyheter', ['late@example.com']);
    const store = await room.store();
    await store.subscribers.setSubscription(
      leaver!,
      'nyheter',
      'unsubscribed',
      new Date('2026-10-14T12:00:00Z'),
    );
    await store.close();

    const file = path.join(
      room.dir,
      'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md',
    );
    const original = readFileSync(file, 'utf8');
    const correct = (entries: string) =>
      writeFileSync(file, original.replace(/^---\n/, `---\ncorrections:\n${entries}`));
    const first = '  - { date: 2026-10-15, text: "Bergrummen rymmer 90 000 kubikmeter, inte 60 000." }\n';
    correct(first);
    const one = await publish('2026-10-15T12:00');
    expect(one.dispatches.map((d) => [d.listId, d.kind, d.variant, d.counts.sent, d.counts.skipped])).toEqual(
      [['nyheter', 'correction', '2026-10-15', 2, 1]],
    );
    const mailed = outbox(room).filter((m) => m.subject.startsWith('Rättelse: '));
    expect(to(mailed)).toEqual(['a@example.com', 'b@example.com']);
    expect(mailed[0]!.text).toContain('Rättelse 2026-10-15: Bergrummen rymmer 90 000 kubikmeter');
    // The correction first, then the corrected release.
    expect(mailed[0]!.text.indexOf('Rättelse 2026-10-15')).toBeLessThan(mailed[0]!.text.indexOf('Umeå'));
    expect((await publish('2026-10-15T13:00')).dispatches).toEqual([]);

    correct(`${first}  - { date: 2026-10-16, text: "Projektet startar i november." }\n`);
    const two = await publish('2026-10-16T12:00');
    expect(two.dispatches.map((d) => [d.kind, d.variant, d.counts.sent])).toEqual([
      ['correction', '2026-10-16', 2],
    ]);
    const all = outbox(room).filter((m) => m.subject.startsWith('Rättelse: '));
    expect(all).toHaveLength(4);
    expect(to(all)).toEqual(['a@example.com', 'a@example.com', 'b@example.com', 'b@example.com']);

    // A mailed correction is on the record: editing or removing it is an error, and nothing is mailed.
    correct('  - { date: 2026-10-15, text: "Bergrummen rymmer 80 000 kubikmeter." }\n');
    const edited = await scs(['check']);
    expect(edited.code).toBe(1);
    expect(edited.stdout + edited.stderr).toContain('correction-edited');
    expect(edited.stdout + edited.stderr).toContain('correction-removed');
    expect((await scs(['publish', '--now', '2026-10-17T12:00'])).code).toBe(1);
    expect(outbox(room).filter((m) => m.subject.startsWith('Rättelse: '))).toHaveLength(4);
  });

  it('after kill -9 in the middle of a correction dispatch, resumes without sending anyone a correction twice', async () => {
    room = newsroom({ rate: 400 });
    const sv = readers(600);
    await room.seed('nyheter', sv);
    await publish(DUE);
    const file = path.join(
      room.dir,
      'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md',
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^---\n/,
        '---\ncorrections:\n  - { date: 2026-10-15, text: "Fel siffra." }\n',
      ),
    );
    const child = spawn(process.execPath, [BIN, 'publish', '--now', '2026-10-15T12:00'], {
      cwd: room.dir,
      env: { ...cleanEnv(), ...room.env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_c, signal) => resolve(signal)),
    );
    const dir = path.join(room.dir, '.scs', 'outbox');
    const started = Date.now();
    while (readdirSync(dir).filter((f) => f.endsWith('.eml')).length < 700) {
      if (Date.now() - started > 30_000) throw new Error('the correction dispatch never got going');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const resumed = await publish('2026-10-15T12:30');
    expect(resumed.dispatches.map((d) => [d.kind, d.start, d.counts.sent, d.counts.uncertain])).toEqual([
      ['correction', 'resumed', 600, 0],
    ]);
    const corrections = outbox(room).filter((m) => m.subject.startsWith('Rättelse: '));
    expect(corrections).toHaveLength(600);
    expect(new Set(corrections.map((m) => m.to))).toEqual(new Set(sv));
    expect((await publish('2026-10-15T13:00')).dispatches).toEqual([]);
  });

  it('adds journalists to a press list with outlet, beat and the consent record, without double opt-in', async () => {
    room = newsroom();
    withPressLists(room);
    const refused = await scs(['subscribers', 'add', 'ada@tidning.test', '--list', 'redaktioner']);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toContain('press-reason-missing');
    const added = await scs([
      'subscribers',
      'add',
      'ada@tidning.test',
      '--list',
      'redaktioner',
      '--name',
      'Ada Reporter',
      '--outlet',
      'Norrlandstidningen',
      '--beat',
      'energi,mobilitet',
      '--reason',
      'Bad om våra pressmeddelanden på mässan',
      '--by',
      'karin',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const { subscriber, awaiting } = JSON.parse(added.stdout) as {
      awaiting: string[];
      subscriber: { status: string; consent: { source: string }; press: unknown };
    };
    expect(awaiting).toEqual([]);
    expect(subscriber.status).toBe('confirmed');
    expect(subscriber.consent.source).toBe('cli');
    expect(subscriber.press).toEqual({
      outlet: 'Norrlandstidningen',
      beat: ['energi', 'mobilitet'],
      addedBy: 'karin',
      reason: 'Bad om våra pressmeddelanden på mässan',
    });
    // No confirmation mail: the press office vouches for them.
    expect(outbox(room)).toEqual([]);
    writeSolar(room, 'sv');
    await publish('2027-02-01T08:00');
    expect(to(outbox(room))).toEqual(['ada@tidning.test']);
  });

  it('imports journalists onto a press list with outlet, beat and reason, refusing rows without a reason', async () => {
    room = newsroom();
    withPressLists(room);
    const csv = path.join(room.dir, 'journalister.csv');
    writeFileSync(
      csv,
      [
        'E-post;Namn;Redaktion;Bevakning;Anledning',
        'bo@radio.test;Bo Ek;Radio Norr;energi;Intervju om bergrummen',
        'cia@tidning.test;Cia Berg;Tidningen;energi mobilitet;',
        'dan@tidning.test;Dan Ås;Tidningen;fiske;Ringde pressjouren',
      ].join('\n'),
    );
    const refused = await scs([
      'subscribers',
      'import',
      'journalister.csv',
      '--list',
      'redaktioner',
      '--json',
    ]);
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout) as {
      applied: boolean;
      invalid: { line: number; message: string }[];
    };
    expect(report.applied).toBe(false);
    expect(report.invalid.map((d) => [d.line, d.message])).toEqual([
      [3, expect.stringContaining('needs a reason')],
      [4, expect.stringContaining('Unknown topic "fiske"')],
    ]);

    writeFileSync(csv, readFileSync(csv, 'utf8').replace(';fiske;', ';energi;'));
    const imported = await scs([
      'subscribers',
      'import',
      'journalister.csv',
      '--list',
      'redaktioner',
      '--reason',
      'Pressträff 2026-11-30',
      '--by',
      'karin',
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ applied: true, pending: 0 });
    const shown = await scs(['subscribers', 'show', 'cia@tidning.test', '--json']);
    const cia = JSON.parse(shown.stdout) as { subscriber: { status: string; press: unknown } };
    expect(cia.subscriber.status).toBe('confirmed');
    expect(cia.subscriber.press).toEqual({
      outlet: 'Tidningen',
      beat: ['energi', 'mobilitet'],
      addedBy: 'karin',
      reason: 'Pressträff 2026-11-30',
    });
    // No confirmation mails: the press office vouches for them.
    expect(outbox(room)).toEqual([]);
  });

  it('mails nothing on bad input: prebrief without an embargo, a press list with a public-form field, HTML in a correction', async () => {
    room = newsroom();
    withPressLists(room);
    await room.seed('redaktioner', ['ada@tidning.test']);
    await room.seed('nyheter', ['a@example.com']);

    writeSolar(room, 'sv', { embargo: '' });
    const noEmbargo = await scs(['publish', '--now', '2027-02-01T09:00']);
    expect(noEmbargo.code).toBe(1);
    expect(noEmbargo.stdout + noEmbargo.stderr).toMatch(
      /2027-02-01-solpaneler-lonnen\.sv\.md:\d+:\d+.*prebrief-without-embargo/,
    );
    writeSolar(room, 'sv');

    const file = path.join(
      room.dir,
      'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md',
    );
    const original = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      original.replace(/^---\n/, '---\ncorrections:\n  - { date: 2026-10-15, text: "Fel <b>siffra</b>." }\n'),
    );
    const html = await scs(['publish', '--now', '2026-10-15T12:00']);
    expect(html.code).toBe(1);
    expect(html.stdout + html.stderr).toMatch(
      /umea-lagrar-sommarvarme-i-gamla-bergrum\.sv\.md:\d+:\d+.*inline-html/,
    );
    writeFileSync(file, original);

    withPressLists(
      room,
      '    pressrum:\n      lang: sv\n      name: Pressrum\n      audience: press\n      description: Anmäl dig här\n',
    );
    const form = await scs(['publish', '--now', DUE]);
    expect(form.code).toBe(2);
    expect(form.stdout + form.stderr).toMatch(/scs\.config\.yml:\d+:\d+.*press-list-public-field/);
    expect(outbox(room)).toEqual([]);
  });
});
