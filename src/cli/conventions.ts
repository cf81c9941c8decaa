import type { Command } from 'commander';

/**
 * What every command shares, as in git, gh and Hugo: `-c, --config` in its help, `--json` where it
 * prints a result (the result on stdout, messages on stderr), and a help page that ends with examples
 * and exit codes. Kept in one table, so that a command without examples fails the help test.
 */
export interface CommandConventions {
  /** Two or three command lines, each with what it does (shown as a comment above it). */
  examples: [command: string, what: string][];
  /** Prints a result, so takes --json. */
  json?: boolean;
  /** Opens the store: its secret key is made (and announced) when the config is loaded. */
  store?: boolean;
  /** What 0, 1 and 130 mean for this command (2 and 70 are the same everywhere). */
  exit?: Partial<Record<0 | 1 | 130, string>>;
}

const CONVENTIONS: Record<string, CommandConventions> = {
  // `scs` itself.
  '': {
    examples: [
      ['scs init newsroom && cd newsroom && scs check', 'a new newsroom, checked'],
      ['scs preview', 'write, and watch the archive and newsletters change'],
      ['scs publish', 'build and send what has come due (from cron)'],
    ],
    exit: {
      1: 'errors in the releases, or an operation that failed (each command says which)',
      130: 'send or publish stopped by Ctrl+C',
    },
  },
  init: {
    examples: [
      ['scs init newsroom', 'set up a newsroom in ./newsroom'],
      ['scs init', 'set up the current (empty) folder'],
    ],
    exit: { 1: 'the folder is not empty' },
    json: true,
  },
  new: {
    examples: [
      ['scs new "Umeå lagrar sommarvärme"', 'a draft in the default language, dated today'],
      ['scs new "Summer heat in old caverns" --lang en --type news', 'an English news item'],
    ],
    exit: { 1: 'the file exists already' },
    json: true,
  },
  check: {
    examples: [
      ['scs check', 'every release and the config'],
      ['scs check releases/2026 --strict', 'report on one folder; warnings fail too'],
      ['scs check --json', 'the diagnostics as a JSON array'],
    ],
    json: true,
    exit: { 0: 'no errors (warnings allowed unless --strict)', 1: 'errors found' },
  },
  build: {
    examples: [
      ['scs build', 'build the archive into public/'],
      ['scs build --drafts --future --out /tmp/site', 'everything, to look at'],
      ['scs build --watch --no-search', 'rebuild on every change until Ctrl+C'],
    ],
    json: true,
    exit: { 1: 'the check found errors or the build failed; the previous output is unchanged' },
  },
  preview: {
    examples: [
      ['scs preview', 'serve the archive with drafts on http://127.0.0.1:4000/'],
      ['scs preview --port 0 --no-drafts', 'on a free port, as it will be published'],
    ],
    exit: { 0: 'stopped with Ctrl+C' },
  },
  email: {
    examples: [
      ['scs email sv/umea-lagrar-sommarvarme-i-gamla-bergrum', 'by id'],
      ['scs email bergrum-2026 --lang en', 'by translation key, the English version'],
      [
        'scs email releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md --list nyheter --json',
        'by file, for one list, as JSON',
      ],
    ],
    json: true,
    exit: { 0: 'written', 1: 'the email has errors (nothing written)' },
  },
  publish: {
    examples: [
      ['scs publish', 'check, build, and send what has come due (from cron)'],
      ['scs publish --dry-run', 'show what would be built and sent'],
      ['scs publish --json 2>progress.log', 'the result as JSON, progress to a log'],
    ],
    json: true,
    store: true,
    exit: {
      1: 'the check or build failed, or a dispatch paused or could not start',
      130: 'stopped by Ctrl+C after the messages in flight',
    },
  },
  send: {
    examples: [
      ['scs send sv/umea-lagrar-sommarvarme-i-gamla-bergrum --dry-run', 'who would get what'],
      ['scs send bergrum-2026 --test me@example.org', 'every language version, to me only'],
      ['scs send umea-lagrar-sommarvarme-i-gamla-bergrum --list nyheter', 'by slug, to one list'],
      ['scs send bergrum-2026 --workers 4', 'four worker processes together (PostgreSQL store)'],
    ],
    json: true,
    store: true,
    exit: {
      0: 'sent (single bounces are reported, not fatal)',
      1: 'a dispatch paused or could not start, the release may not be mailed, or another run is sending',
      130: 'stopped by Ctrl+C after the messages in flight',
    },
  },
  status: {
    examples: [
      ['scs status', 'every dispatch, newest first'],
      ['scs status bergrum-2026 --problems 20', "one release's dispatches, 20 problems each"],
      ['scs status --json', 'as JSON'],
    ],
    json: true,
  },
  subscribers: {
    examples: [
      ['scs subscribers add anna@example.org --list nyheter', 'add someone (a confirmation mail goes out)'],
      ['scs subscribers import people.csv --dry-run', 'what an import would do'],
    ],
    store: true,
  },
  'subscribers add': {
    examples: [
      ['scs subscribers add anna@example.org --list nyheter', 'pending until they confirm'],
      ['scs subscribers add bo@example.org --list news --confirmed --name "Bo Ek"', 'consent given already'],
    ],
    json: true,
    exit: { 1: 'the address is suppressed, or the confirmation mail could not be sent' },
  },
  'subscribers remove': {
    examples: [
      ['scs subscribers remove anna@example.org', 'off every list (and suppressed)'],
      ['scs subscribers remove anna@example.org --list news', 'off one list'],
    ],
    json: true,
    exit: { 1: 'no such subscriber' },
  },
  'subscribers list': {
    examples: [
      ['scs subscribers list --list nyheter', "one list's subscribers"],
      ['scs subscribers list --status pending --json', 'those who have not confirmed, as JSON'],
    ],
    json: true,
  },
  'subscribers reconfirm': {
    examples: [
      ['scs subscribers reconfirm --dry-run', 'who would get a confirmation mail'],
      [
        'scs subscribers reconfirm --list nyheter --older-than 1d',
        'mail those pending on nyheter for over a day',
      ],
    ],
    json: true,
    exit: { 1: 'a confirmation mail could not be sent (they stay due for the next run)' },
  },
  'subscribers show': {
    examples: [
      ['scs subscribers show anna@example.org', 'everything stored about one person'],
      ['scs subscribers show anna@example.org --json', 'the same as JSON (a GDPR access answer)'],
    ],
    json: true,
    exit: { 1: 'no such subscriber' },
  },
  'subscribers unsuppress': {
    examples: [
      [
        'scs subscribers unsuppress anna@example.org --reason "mailbox works again (phoned 12 Oct)"',
        'lift a bounce suppression, logged',
      ],
    ],
    json: true,
    exit: { 1: 'not suppressed, or suppressed by an unsubscribe or erasure (never lifted here)' },
  },
  'subscribers erase': {
    examples: [
      [
        'scs subscribers erase anna@example.org',
        'delete the person (asks first); only a suppression hash stays',
      ],
      [
        'scs subscribers erase anna@example.org --yes --json',
        'from a script: without asking, reported as JSON',
      ],
    ],
    json: true,
    exit: {
      1: 'the answer was not yes, or the write-ahead log could not be emptied yet (run it again)',
    },
  },
  'subscribers export': {
    examples: [
      ['scs subscribers export -o people.csv', 'everyone as CSV (import reads it back)'],
      ['scs subscribers export --list news --format json', 'one list with the consent records'],
    ],
  },
  'subscribers import': {
    examples: [
      ['scs subscribers import people.csv --list nyheter --dry-run', 'what would happen to each row'],
      ['scs subscribers import people.csv --confirmed --skip-invalid', 'import, leaving out bad rows'],
    ],
    json: true,
    exit: { 1: 'a row is invalid (nothing written unless --skip-invalid)' },
  },
  db: {
    examples: [
      ['scs db status', 'where the database stands'],
      ['scs db migrate', 'set it up or update it'],
    ],
  },
  'db status': {
    examples: [
      ['scs db status', 'the schema version of the database SCS_DATABASE names'],
      [
        'SCS_DATABASE=postgres://scs@db.internal/press scs db status --json',
        'a PostgreSQL database, as JSON',
      ],
    ],
    json: true,
    exit: { 0: 'the database is readable (set up or not)', 1: 'its schema is newer than this scs' },
  },
  'db migrate': {
    examples: [
      ['scs db migrate', 'set up or update the database'],
      ['SCS_DATABASE=postgres://scs@db.internal/press?schema=scs scs db migrate', 'a PostgreSQL schema'],
    ],
    json: true,
    store: true,
    exit: { 0: 'the schema is the newest' },
  },
  'db copy': {
    examples: [
      [
        'scs db copy --from .scs/scs.db --to postgres://scs@db.internal/press',
        'move a newsroom to PostgreSQL',
      ],
      ['scs db copy --from "$SCS_DATABASE" --to backup.db --json', 'a copy into a new SQLite file, as JSON'],
    ],
    json: true,
    store: true,
    exit: { 0: 'every table copied and its count checked', 1: 'the copy failed and was rolled back' },
  },
  serve: {
    examples: [
      ['scs serve', 'answer on http://127.0.0.1:8080/ behind your HTTPS proxy'],
      ['scs serve --host 0.0.0.0 --port 9000', 'on every address, port 9000'],
    ],
    store: true,
    exit: { 0: 'stopped with Ctrl+C or SIGTERM after the open requests' },
  },
  bounces: {
    examples: [
      ['scs bounces fetch', 'apply the bounces in SCS_BOUNCE_IMAP_URL'],
      ['scs bounces report --since 7d', 'bounce and complaint rates of the last week'],
    ],
    store: true,
  },
  'bounces fetch': {
    examples: [
      ['scs bounces fetch', 'the IMAP mailbox in SCS_BOUNCE_IMAP_URL; applied messages go to Processed'],
      [
        'scs bounces fetch --maildir /var/mail/bounces',
        'a Maildir; applied messages go to cur/, marked seen',
      ],
      ['scs bounces fetch --stdin < bounce.eml', 'one message (from a Postfix pipe)'],
    ],
    json: true,
    store: true,
    exit: { 0: 'the mailbox was read (messages not recognised are left in it, and counted)' },
  },
  'bounces report': {
    examples: [
      ['scs bounces report', 'rates per list and receiving domain, last 30 days'],
      ['scs bounces report --since 90d --json', 'the last 90 days, as JSON'],
    ],
    json: true,
    store: true,
    exit: { 1: 'a complaint rate over 0.1 % or a bounce rate over 2 %' },
  },
  doctor: {
    examples: [
      ['scs doctor', 'check mail server, DKIM, SPF, DMARC, archive and scs serve'],
      ['scs doctor --dns-server 127.0.0.1:5353 --json', 'ask another DNS server; as JSON'],
    ],
    json: true,
    exit: { 0: 'no errors (warnings allowed)', 1: 'at least one check failed' },
  },
  explain: {
    examples: [
      ['scs explain field-unknown', 'what it means and what to do'],
      ['scs explain site-image-missing --json', 'as JSON'],
    ],
    json: true,
    exit: { 0: 'the code is explained' },
  },
};

/** `subscribers add` for the command `add` below `subscribers` (the program itself left out). */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The conventions of a command and of the commands it sits in (for `store`). */
export function conventionsOf(command: Command): CommandConventions[] {
  const found: CommandConventions[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) {
    const own = CONVENTIONS[commandPath(c)];
    if (own) found.push(own);
  }
  return found;
}

const JSON_HELP = 'print the result as JSON on stdout (messages and progress stay on stderr)';

/** Gives `scs` and every command below it its --json option (where it prints a result) and help footer. */
export function applyConventions(program: Command): void {
  program.addHelpText('after', helpFooter(CONVENTIONS['']!));
  applyBelow(program);
}

function applyBelow(parent: Command): void {
  for (const command of parent.commands) {
    const own = CONVENTIONS[commandPath(command)];
    if (!own)
      throw new Error(`No help conventions for "scs ${commandPath(command)}" (src/cli/conventions.ts).`);
    if (own.json && !command.options.some((o) => o.long === '--json')) command.option('--json', JSON_HELP);
    command.addHelpText('after', helpFooter(own));
    applyBelow(command);
  }
}

/** The codes every command shares (README "Exit codes"); a command's own meanings come on top. */
const EXIT: Record<number, string> = {
  0: 'success',
  2: 'usage or configuration error',
  70: 'internal error (a bug in scs: please report it)',
};

function helpFooter(own: CommandConventions): string {
  const examples = own.examples.map(([line, what]) => `  # ${what}\n  $ ${line}`);
  const exit = Object.entries({ ...EXIT, ...own.exit }).map(([code, what]) => `  ${code.padEnd(3)}  ${what}`);
  return `\nExamples:\n${examples.join('\n\n')}\n\nExit codes:\n${exit.join('\n')}\n`;
}
