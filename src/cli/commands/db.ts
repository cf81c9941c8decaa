import { Command } from 'commander';
import type { Cli } from '../context.js';

export function dbCommand(cli: Cli): Command {
  const db = new Command('db').description(
    'Show and update the database schema: SQLite (a path, the default) or PostgreSQL (SCS_DATABASE=postgres://…).',
  );
  db.command('status')
    .description('Show where the database stands: its schema version and the newest this scs knows.')
    .action(async function (this: Command, opts: { json?: boolean }) {
      const config = cli.config(this);
      const { databaseStatus } = await import('../../store/db.js');
      const s = await databaseStatus(config);
      if (opts.json) return cli.json(s);
      const { c } = cli;
      const what = {
        missing: c.yellow(`not set up yet (scs db migrate sets up schema version ${s.latest})`),
        behind: c.yellow(`schema version ${s.version} of ${s.latest}: run scs db migrate`),
        current: c.green(`schema version ${s.version}, the newest`),
        'too-new': c.red(`schema version ${s.version}, newer than this scs knows (${s.latest}): upgrade scs`),
      }[s.state];
      cli.out(`${s.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${s.database}: ${what}`);
      if (s.state === 'too-new') cli.exit(1);
    });
  db.command('migrate')
    .description('Bring the database to the newest schema; several runners starting at once migrate once.')
    .action(async function (this: Command, opts: { json?: boolean }) {
      const config = cli.config(this);
      const { migrateDatabase } = await import('../../store/db.js');
      const r = await migrateDatabase(config);
      if (opts.json) return cli.json(r);
      const name = `${r.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${r.database}`;
      cli.out(
        r.applied.length
          ? `Migrated ${name} from schema version ${r.from} to ${r.to}: ${r.applied.join(', ')}.`
          : `${name} is at schema version ${r.to}, the newest: nothing to do.`,
      );
      for (const note of r.notes) cli.out(`  ${note}`);
    });
  db.command('copy')
    .description(
      'Copy subscribers, consent records, suppressions and the ledger from one database to another (SQLite ↔ PostgreSQL); the target must be empty.',
    )
    .requiredOption('--from <database>', 'an SQLite path or a postgres:// URL')
    .requiredOption(
      '--to <database>',
      'an SQLite path that does not exist yet, or an empty PostgreSQL database',
    )
    .action(async function (this: Command, opts: { from: string; to: string; json?: boolean }) {
      const config = cli.config(this);
      const [{ copyDatabase }, { resolveSecret }] = await Promise.all([
        import('../../store/copy.js'),
        import('../../config/secret.js'),
      ]);
      const r = await copyDatabase({
        from: opts.from,
        to: opts.to,
        root: cli.cwd,
        secret: resolveSecret(config).secret,
        now: new Date(),
      });
      if (opts.json) return cli.json(r);
      const total = r.tables.reduce((sum, t) => sum + t.rows, 0);
      cli.out(`Copied ${total} rows from ${r.from} to ${r.to}, each table's count checked:`);
      for (const t of r.tables) cli.out(`  ${t.table.padEnd(18)} ${t.rows}`);
    });
  return db;
}
