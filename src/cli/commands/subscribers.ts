import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import type { Config } from '../../config/types.js';
import { usageError } from '../../core/catalogue/index.js';
import { localDateTime, parseDuration } from '../../core/time.js';
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../store/subscriber-types.js';
import type { Store } from '../../store/types.js';
import type { ImportEntry, ImportReport } from '../../subscribers/import.js';
import type { ReconfirmEntry, ReconfirmReport } from '../../subscribers/reconfirm.js';
import { checkListsKnown } from '../../subscribers/lists.js';
import { announceNewSecret, type Cli, resolveNow } from '../context.js';
import { formatDiagnostics } from '../output.js';

const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const listOption = () =>
  new Option('--list <id>', 'list id (repeat or comma-separate for several)').argParser(collect).default([]);

/** Opens the store (announcing a key generated now, and what a migration merged). */
export async function openProjectStore(cli: Cli, config: Config): Promise<Store> {
  // Loaded on use, so that `scs --help` and other commands start fast.
  const { openStore } = await import('../../store/open.js');
  announceNewSecret(cli, config);
  const store = await openStore(config);
  // Said once, by whichever command upgraded the database (the merges are also in each person's history).
  for (const note of store.migration.notes) cli.err(cli.c.yellow(note));
  return store;
}

async function withStore<T>(
  cli: Cli,
  command: Command,
  run: (config: Config, store: Store) => T | Promise<T>,
): Promise<T> {
  const config = cli.config(command);
  const store = await openProjectStore(cli, config);
  try {
    return await run(config, store);
  } finally {
    await store.close();
  }
}

/** `subscribers show`: the bounces and complaints recorded for the person, which explain a suppression. */
async function bounceLines(config: Config, store: Store, subscriberId: number): Promise<string[]> {
  const events = await store.bounces.events(subscriberId);
  if (!events.length) return [];
  return [
    '  Bounces:',
    ...events.map(
      (e) =>
        `    ${when(config, e.at)}  ${e.type}${e.status ? ` ${e.status}` : ''} (dispatch ${e.dispatchId}, via ${e.source})${e.detail ? `: ${e.detail}` : ''}`,
    ),
  ];
}

const when = (config: Config, d: Date | null) => (d ? localDateTime(d, config.timeZone) : '–');
const listSummary = (s: Subscriber) =>
  s.subscriptions
    .filter((m) => m.status !== 'unsubscribed')
    .map((m) => (m.status === 'pending' ? `${m.listId} (pending)` : m.listId))
    .join(', ') || '–';

/** Asks a yes/no question on a terminal; only an answer starting with y (or j, "ja") is a yes. */
async function askYesNo(question: string, input: Readable, output: Writable): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      // End of input (Ctrl+D) is a no.
      rl.once('close', () => resolve(''));
      rl.question(question).then(resolve, () => resolve(''));
    });
    return /^\s*[yj]/i.test(answer);
  } finally {
    rl.close();
  }
}

/** `--older-than`: a duration such as 1d, 12h, 30m. */
function parseOlderThan(value: string): number {
  const ms = parseDuration(value);
  if (ms !== undefined) return ms;
  throw usageError(
    `--older-than "${value}" is not a duration.`,
    'Write a number with a unit: 1d, 12h, 30m (a bare number counts days).',
  );
}

export function subscribersCommand(cli: Cli): Command {
  const command = new Command('subscribers').description(
    'Manage newsletter subscribers: add, remove, list, reconfirm, show, erase (GDPR), export, import.',
  );

  command
    .command('add')
    .description(
      'Add a subscriber to lists; without --confirmed they get a confirmation mail (double opt-in).',
    )
    .argument('<email>', 'email address')
    .addOption(listOption())
    .option('--name <name>', 'the person’s name')
    .option('--lang <lang>', 'language of their mails (default: the list’s language)')
    .option('--confirmed', 'they have already given consent: no confirmation mail')
    .option(
      '--force-resubscribe',
      'add an address that unsubscribed or is suppressed (only if they asked to come back)',
    )
    .option('--outlet <name>', 'press lists: the journalist’s newsroom or publication')
    .addOption(
      new Option(
        '--beat <topics>',
        'press lists: the topic ids they cover (repeat or comma-separate)',
      ).argParser((value: string, previous: string[] = []) => collect(value, previous)),
    )
    .option('--reason <text>', 'press lists (required): why they are on it, kept as the consent record')
    .option('--by <operator>', 'press lists: who adds them (default: your user name)')
    .option('--json', 'print the result as JSON')
    .action(async function (
      this: Command,
      email: string,
      opts: {
        list: string[];
        name?: string;
        lang?: string;
        confirmed?: boolean;
        forceResubscribe?: boolean;
        outlet?: string;
        beat?: string[];
        reason?: string;
        by?: string;
        json?: boolean;
      },
    ) {
      const [{ addSubscriber }, { subscriberJson }, { createTransport }] = await Promise.all([
        import('../../subscribers/manage.js'),
        import('../../subscribers/export.js'),
        import('../../delivery/create-transport.js'),
      ]);
      await withStore(cli, this, async (config, store) => {
        const transport = opts.confirmed ? undefined : createTransport(config);
        try {
          const result = await addSubscriber(config, store, {
            email,
            lists: opts.list,
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            ...(opts.lang !== undefined ? { lang: opts.lang } : {}),
            confirmed: opts.confirmed ?? false,
            forceResubscribe: opts.forceResubscribe ?? false,
            now: new Date(),
            ...(transport ? { transport } : {}),
            press: {
              addedBy: opts.by ?? userInfo().username,
              ...(opts.outlet !== undefined ? { outlet: opts.outlet } : {}),
              ...(opts.beat !== undefined ? { beat: opts.beat } : {}),
              ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
            },
          });
          const s = result.subscriber;
          if (opts.json)
            cli.json({
              outcome: result.outcome,
              changes: result.changes,
              awaiting: result.awaiting,
              confirmation: result.confirmation ?? null,
              subscriber: subscriberJson(s),
            });
          else if (result.outcome === 'unchanged')
            cli.out(`${s.email} is already on ${listSummary(s)}; nothing changed.`);
          else if (result.outcome === 'added')
            cli.out(`Added ${s.email} (${s.status}) to ${listSummary(s)}.`);
          else cli.out(`Updated ${s.email}: ${result.changes.join(', ')}.`);
          if (result.confirmation?.ok) {
            cli.err(
              `Sent a confirmation mail through the ${transport!.description}; they receive nothing until they confirm.`,
            );
          } else if (result.confirmation) {
            cli.err(cli.c.red(`The confirmation mail could not be sent: ${result.confirmation.response}`));
            cli.err(`${s.email} stays pending; run the command again to retry.`);
            cli.exit(1);
          }
        } finally {
          await transport?.close();
        }
      });
    });

  command
    .command('remove')
    .description(
      'Take a subscriber off lists (default: all); off the last list means unsubscribed and suppressed.',
    )
    .argument('<email>', 'email address')
    .addOption(listOption())
    .option('--json', 'print the result as JSON')
    .action(async function (this: Command, email: string, opts: { list: string[]; json?: boolean }) {
      const [{ removeSubscriber }, { subscriberJson }] = await Promise.all([
        import('../../subscribers/manage.js'),
        import('../../subscribers/export.js'),
      ]);
      await withStore(cli, this, async (config, store) => {
        const { subscriber, left } = await removeSubscriber(config, store, {
          email,
          lists: opts.list,
          now: new Date(),
        });
        if (opts.json) return cli.json({ left, subscriber: subscriberJson(subscriber) });
        if (!left.length)
          return cli.out(
            `${subscriber.email} was not on ${opts.list.length ? opts.list.join(', ') : 'any list'}; nothing changed.`,
          );
        cli.out(`Removed ${subscriber.email} from ${left.join(', ')}.`);
        if (subscriber.status === 'unsubscribed')
          cli.err(
            'They are on no list now: the address is suppressed, and only --force-resubscribe can add it back.',
          );
      });
    });

  command
    .command('list')
    .description('List subscribers.')
    .addOption(new Option('--list <id>', 'only those on this list'))
    .addOption(
      new Option('--status <status>', 'only those with this status').choices([...SUBSCRIBER_STATUSES]),
    )
    .option('--json', 'print JSON (one array)')
    .action(async function (
      this: Command,
      opts: { list?: string; status?: SubscriberStatus; json?: boolean },
    ) {
      const { subscriberJson } = await import('../../subscribers/export.js');
      await withStore(cli, this, async (config, store) => {
        if (opts.list) checkListsKnown(config, [opts.list]);
        const rows = store.subscribers.list({
          ...(opts.list ? { listId: opts.list } : {}),
          ...(opts.status ? { status: opts.status } : {}),
        });
        let count = 0;
        if (opts.json) {
          cli.stdout.write('[');
          for await (const s of rows)
            cli.stdout.write(`${count++ ? ',' : ''}\n  ${JSON.stringify(subscriberJson(s))}`);
          cli.stdout.write(count ? '\n]\n' : ']\n');
          return;
        }
        for await (const s of rows) {
          if (!count++)
            cli.out(
              cli.c.bold(
                `${'EMAIL'.padEnd(38)} ${'STATUS'.padEnd(12)} ${'LANG'.padEnd(5)} ${'LISTS'.padEnd(28)} NAME`,
              ),
            );
          cli.out(
            `${s.email.padEnd(38)} ${s.status.padEnd(12)} ${s.lang.padEnd(5)} ${listSummary(s).padEnd(28)} ${s.name ?? ''}`,
          );
        }
        cli.err(cli.c.dim(`${count} subscriber${count === 1 ? '' : 's'}.`));
      });
    });

  command
    .command('reconfirm')
    .description(
      'Send a confirmation mail to each pending subscriber who has none outstanding (such as those imported without --confirmed).',
    )
    .addOption(listOption())
    .option('--older-than <duration>', 'only those pending for longer than this (1d, 12h, 30m)')
    .option('--dry-run', 'list who would be mailed; send and record nothing')
    .option('--now <date-time>', 'the current time (for scripts and tests)')
    .option('--json', 'print the report as JSON')
    .action(async function (
      this: Command,
      opts: { list: string[]; olderThan?: string; dryRun?: boolean; now?: string; json?: boolean },
    ) {
      const [{ reconfirmSubscribers }, { createTransport, describeTransport }] = await Promise.all([
        import('../../subscribers/reconfirm.js'),
        import('../../delivery/create-transport.js'),
      ]);
      await withStore(cli, this, async (config, store) => {
        const olderThanMs = opts.olderThan === undefined ? undefined : parseOlderThan(opts.olderThan);
        const now = resolveNow(opts.now, config.timeZone);
        const transport = opts.dryRun ? undefined : createTransport(config);
        try {
          const report = await reconfirmSubscribers(config, store, {
            lists: opts.list,
            ...(olderThanMs !== undefined ? { olderThanMs } : {}),
            dryRun: opts.dryRun ?? false,
            now,
            ...(transport ? { transport } : {}),
          });
          if (opts.json) cli.json(report);
          else printReconfirmReport(cli, report, (transport ?? describeTransport(config)).description);
          if (report.failed.length) cli.exit(1);
        } finally {
          await transport?.close();
        }
      });
    });

  command
    .command('show')
    .description(
      'Everything stored about one person: data, consent, lists, history (the GDPR access answer).',
    )
    .argument('<email>', 'email address')
    .option('--json', 'print JSON')
    .action(async function (this: Command, email: string, opts: { json?: boolean }) {
      const [{ describeSubscriber }, { subscriberJson }] = await Promise.all([
        import('../../subscribers/manage.js'),
        import('../../subscribers/export.js'),
      ]);
      await withStore(cli, this, async (config, store) => {
        const r = await describeSubscriber(store, email);
        if (opts.json) {
          return cli.json({
            email: r.email,
            subscriber: r.subscriber ? subscriberJson(r.subscriber) : null,
            history: r.history.map((e) => ({ ...e, at: e.at.toISOString() })),
            bounces: r.subscriber
              ? (await store.bounces.events(r.subscriber.id)).map((e) => ({ ...e, at: e.at.toISOString() }))
              : [],
            suppression: r.suppression
              ? { reason: r.suppression.reason, since: r.suppression.since.toISOString() }
              : null,
          });
        }
        const s = r.subscriber;
        const suppressed = r.suppression
          ? `yes (${r.suppression.reason}, since ${when(config, r.suppression.since)})`
          : 'no';
        if (!s) {
          cli.out(
            `${r.email}\n  Nothing is stored about this address except a keyed hash on the suppression list.`,
          );
          cli.out(`  Suppressed: ${suppressed}`);
          return;
        }
        const c = s.consent;
        const lines = [
          cli.c.bold(s.email),
          `  Name:       ${s.name ?? '–'}`,
          `  Language:   ${s.lang}`,
          `  Status:     ${s.status}${s.statusDetail ? ` (${s.statusDetail})` : ''}`,
          `  Consent:    ${[c.source, c.detail].filter(Boolean).join(' ')}, ${when(config, c.at)}${c.ip ? ` from ${c.ip}` : ''}; confirmed ${when(config, c.confirmedAt)}`,
          `  Added:      ${when(config, s.createdAt)}; last change ${when(config, s.updatedAt)}`,
          `  Suppressed: ${suppressed}`,
          '  Lists:',
          ...(s.subscriptions.length
            ? s.subscriptions.map(
                (m) =>
                  `    ${m.listId.padEnd(16)} ${m.status.padEnd(13)} since ${when(config, m.createdAt)}, changed ${when(config, m.updatedAt)}`,
              )
            : ['    –']),
          ...(await bounceLines(config, store, s.id)),
          '  History:',
          ...r.history.map(
            (e) =>
              `    ${when(config, e.at)}  ${e.kind}${e.listId ? ` ${e.listId}` : ''}` +
              (e.source || e.ip || e.detail
                ? cli.c.dim(` (${[e.source, e.ip, e.detail].filter(Boolean).join(', ')})`)
                : ''),
          ),
        ];
        cli.out(lines.join('\n'));
      });
    });

  command
    .command('unsuppress')
    .description('Lift a bounce or complaint suppression (logged in the history, with the reason).')
    .argument('<email>', 'email address')
    .requiredOption(
      '--reason <text>',
      'why (kept in the history), e.g. "mailbox works again, checked by phone"',
    )
    .option('--json', 'print the result as JSON')
    .action(async function (this: Command, email: string, opts: { reason: string; json?: boolean }) {
      const { unsuppressAddress } = await import('../../bounces/unsuppress.js');
      await withStore(cli, this, async (_config, store) => {
        const r = await unsuppressAddress(store, email, opts.reason, new Date());
        if (opts.json) return cli.json({ email: r.email, was: r.was, status: r.subscriber?.status ?? null });
        cli.out(
          `${r.email} is no longer suppressed (was: ${r.was}).${r.subscriber ? ` Status: ${r.subscriber.status}.` : ''}`,
        );
      });
    });

  command
    .command('erase')
    .description(
      'Delete everything stored about a person (GDPR); only a keyed hash stays, so the address cannot come back unnoticed.',
    )
    .argument('<email>', 'email address')
    .option('-y, --yes', 'erase without asking (needed when not run from a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async function (this: Command, email: string, opts: { yes?: boolean; json?: boolean }) {
      const { eraseSubscriber, requireEmail } = await import('../../subscribers/manage.js');
      const address = requireEmail(email);
      if (!opts.yes) {
        const question = `Erase everything stored about ${address}? This cannot be undone. [y/N] `;
        if (!process.stdin.isTTY) {
          throw usageError(
            `Not erasing ${address}: erasure cannot be undone and there is no terminal to ask on.`,
            'Pass --yes to erase without being asked.',
          );
        }
        if (!(await askYesNo(question, process.stdin, cli.stderr))) {
          cli.err('Nothing was erased.');
          return cli.exit(1);
        }
      }
      await withStore(cli, this, async (config, store) => {
        const r = await eraseSubscriber(config, store, { email, now: new Date() });
        if (opts.json)
          cli.json({
            email: r.email,
            erased: r.erased,
            suppression: r.suppression.reason,
            outboxMessages: r.outboxMessages,
            logCleared: r.logCleared,
          });
        else
          cli.out(
            r.erased
              ? `Erased ${r.email}: their data, lists and history are deleted; only a keyed hash stays on the suppression list.`
              : `Nothing was stored about ${r.email}; the address is now on the suppression list (as a keyed hash).`,
          );
        if (r.outboxMessages && !opts.json)
          cli.err(
            `Deleted ${r.outboxMessages} message${r.outboxMessages === 1 ? '' : 's'} to them from the file outbox.`,
          );
        if (!r.logCleared) {
          cli.err(
            cli.c.yellow(
              'Another process was reading the database, so its write-ahead log (which may still hold the erased data) could not be emptied. Run the same erase again in a moment.',
            ),
          );
          cli.exit(1);
        }
      });
    });

  command
    .command('export')
    .description('Write the subscribers (of one list, or all) as CSV or JSON.')
    .addOption(new Option('--list <id>', 'only those on this list'))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option(
      '-o, --output <file>',
      'write to this file (replaced whole, never half-written) instead of standard output',
    )
    .action(async function (this: Command, opts: { list?: string; format: 'csv' | 'json'; output?: string }) {
      const { exportSubscribers } = await import('../../subscribers/export.js');
      await withStore(cli, this, async (config, store) => {
        if (opts.list) checkListsKnown(config, [opts.list]);
        const chunks = Readable.from(
          exportSubscribers(store, { format: opts.format, ...(opts.list ? { listId: opts.list } : {}) }),
        );
        if (!opts.output) return pipeline(chunks, cli.stdout as Writable, { end: false });
        const target = path.resolve(cli.cwd, opts.output);
        const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
        try {
          await pipeline(chunks, createWriteStream(tmp, { mode: 0o600 }));
          renameSync(tmp, target);
        } finally {
          rmSync(tmp, { force: true });
        }
        cli.err(`Wrote ${path.relative(cli.cwd, target)}.`);
      });
    });

  command
    .command('import')
    .description(
      'Import subscribers from a CSV file (header row; "," or ";"), all or nothing, reporting every row.',
    )
    .argument(
      '<file>',
      'CSV file: columns email (required), name, language, lists, status (press lists: outlet, beat, reason), in any order',
    )
    .addOption(listOption())
    .option('--confirmed', 'these people have already given consent (otherwise they stay pending)')
    .option(
      '--force-resubscribe',
      'also put back suppressed and unsubscribed addresses (only if they asked to come back)',
    )
    .option('--dry-run', 'report what would happen; write nothing')
    .option('--skip-invalid', 'import the valid rows even when some rows are invalid')
    .option('--reason <text>', 'press lists: why these people are on them, for rows without a reason column')
    .option('--by <operator>', 'press lists: who adds them (default: your user name)')
    .option('--json', 'print the report as JSON')
    .action(async function (
      this: Command,
      file: string,
      opts: {
        list: string[];
        reason?: string;
        by?: string;
        confirmed?: boolean;
        forceResubscribe?: boolean;
        dryRun?: boolean;
        skipInvalid?: boolean;
        json?: boolean;
      },
    ) {
      const { importSubscribers } = await import('../../subscribers/import.js');
      await withStore(cli, this, async (config, store) => {
        const report = await importSubscribers(config, store, {
          file: path.resolve(cli.cwd, file),
          shownFile: path.relative(cli.cwd, path.resolve(cli.cwd, file)),
          lists: opts.list,
          confirmed: opts.confirmed ?? false,
          forceResubscribe: opts.forceResubscribe ?? false,
          dryRun: opts.dryRun ?? false,
          skipInvalid: opts.skipInvalid ?? false,
          ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
          addedBy: opts.by ?? userInfo().username,
          now: new Date(),
        });
        if (opts.json) cli.json(report);
        else printImportReport(cli, report);
        if (report.invalid.length && !opts.skipInvalid) cli.exit(1);
      });
    });

  return command;
}

function printReconfirmReport(cli: Cli, r: ReconfirmReport, through: string): void {
  const entry = (e: ReconfirmEntry) =>
    `  ${e.email}  ${cli.c.dim(e.lists.join(', '))}${e.response ? `  ${e.response}` : ''}`;
  const lines = [
    `${r.dryRun ? 'Would send' : 'Sent'} ${r.sent.length} confirmation mail${r.sent.length === 1 ? '' : 's'}` +
      (r.dryRun || !r.sent.length ? '.' : ` through the ${through}.`),
    ...r.sent.map(entry),
  ];
  if (r.failed.length)
    lines.push(
      cli.c.red(`Failed: ${r.failed.length} (they stay due for the next run)`),
      ...r.failed.map(entry),
    );
  lines.push(
    `Skipped: ${r.outstanding.length} with a confirmation link still valid, ${r.tooRecent.length} pending for less than --older-than.`,
  );
  cli.out(lines.join('\n'));
  if (r.dryRun) cli.err(cli.c.yellow('Dry run: nothing was sent or recorded.'));
}

function printImportReport(cli: Cli, r: ImportReport): void {
  if (r.invalid.length) cli.err(formatDiagnostics(r.invalid, 'pretty', { root: cli.cwd, color: cli.color }));
  const delimiter = r.delimiter === '\t' ? 'tab' : `"${r.delimiter}"`;
  const lines = [`${r.file}: ${r.rows} row${r.rows === 1 ? '' : 's'}, delimiter ${delimiter}`];
  const row = (label: string, entries: readonly unknown[], note = '') =>
    lines.push(
      `  ${label.padEnd(11)} ${String(entries.length).padStart(7)}${entries.length && note ? cli.c.dim(`  ${note}`) : ''}`,
    );
  row('added', r.added);
  row('updated', r.updated);
  row('unchanged', r.unchanged);
  row('suppressed', r.suppressed, 'marked unsubscribed, bounced or complained in the file');
  row('skipped', r.skipped, 'suppressed or unsubscribed: left alone (--force-resubscribe overrides)');
  row('duplicates', r.duplicates, 'merged into the first row for the address');
  row('invalid', r.invalid, r.invalid.length && !r.applied && !r.dryRun ? 'see above' : 'skipped, see above');
  const details = (title: string, entries: readonly ImportEntry[]) => {
    if (!entries.length) return;
    lines.push(`${title}:`);
    for (const e of entries.slice(0, 50))
      lines.push(
        `  line ${String(e.line).padEnd(6)} ${e.email}${e.detail ? cli.c.dim(`  ${e.detail}`) : ''}`,
      );
    if (entries.length > 50) lines.push(cli.c.dim(`  … and ${entries.length - 50} more (--json lists all)`));
  };
  details('Updated', r.updated);
  details('Suppressed', r.suppressed);
  details('Skipped', r.skipped);
  details('Duplicates', r.duplicates);
  cli.out(lines.join('\n'));
  if (r.ignoredColumns.length) cli.err(cli.c.dim(`Ignored columns: ${r.ignoredColumns.join(', ')}.`));
  if (r.dryRun) cli.err(cli.c.yellow('Dry run: nothing was written.'));
  else if (!r.applied)
    cli.err(
      cli.c.red(
        `Nothing was written: ${r.invalid.length} invalid row${r.invalid.length === 1 ? '' : 's'}. Fix them, or pass --skip-invalid.`,
      ),
    );
  else cli.err(cli.c.green('Written in one transaction.'));
  if (r.pending && (r.applied || r.dryRun))
    cli.err(
      `${r.pending} subscriber${r.pending === 1 ? ' waits' : 's wait'} for confirmation and receive${r.pending === 1 ? 's' : ''} nothing until then ` +
        '(import with --confirmed if they have already given consent).',
    );
}
