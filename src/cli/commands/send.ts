import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config/types.js';
import { resolveNow, type Cli } from '../context.js';
import {
  busyLine,
  label,
  progressPrinter,
  recoveredLines,
  reportLines,
  stopOnSignals,
  tookOverLine,
  transportLine,
} from '../dispatch-output.js';

const parseRate = (value: string): number => {
  const rate = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(rate)) {
    throw new InvalidArgumentError('give messages per second as a number (0 means no limit).');
  }
  return rate;
};

const parseConcurrency = (value: string): number => {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 100)
    throw new InvalidArgumentError('give a whole number from 1 to 100.');
  return count;
};

interface SendFlags {
  lang?: string;
  list?: string;
  dryRun?: boolean;
  test?: string;
  rate?: number;
  concurrency?: number;
  resendUncertain?: boolean;
  workers?: number;
  now?: string;
  json?: boolean;
}

const parseWorkers = (value: string): number => {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 64)
    throw new InvalidArgumentError('give a whole number from 1 to 64.');
  return count;
};

export function sendCommand(cli: Cli): Command {
  return new Command('send')
    .description(
      "Send a release's newsletter to its lists, once per subscriber, resuming safely after any interruption.",
    )
    .argument('<release>', 'the release: its id (sv/<slug>), file, slug or translation key')
    .option('--lang <lang>', 'only this language version of the release')
    .option('--list <list>', 'only this list (default: every list of the release language and topics)')
    .option('--dry-run', 'show who would get what; send nothing')
    .option(
      '--test <addresses>',
      'send only to these addresses (comma-separated), marked as a test, outside the ledger',
    )
    .option(
      '--rate <n>',
      'messages per second at most (default: newsletter.delivery.rate; 0: no limit)',
      parseRate,
    )
    .option(
      '--concurrency <n>',
      'messages in flight / SMTP connections (default: newsletter.delivery.concurrency)',
      parseConcurrency,
    )
    .option(
      '--resend-uncertain',
      'send again to recipients left uncertain by an interrupted run (they may get it twice)',
    )
    .option(
      '--workers <n>',
      'start this many worker processes that send together (PostgreSQL store only)',
      parseWorkers,
    )
    .option(
      '--now <date-time>',
      'the current time, to decide whether the release is published (for scripts and tests)',
    )
    .action(async function (this: Command, release: string, opts: SendFlags) {
      const config = cli.config(this);
      if (opts.workers && opts.workers > 1 && !opts.dryRun && !opts.test) {
        await sendWorkers(cli, config, opts);
        return;
      }
      const { sendRelease } = await import('../../publish/send.js');
      const stop = stopOnSignals(cli);
      const progress = progressPrinter(cli, !!opts.json);
      if (!opts.json && !opts.dryRun) {
        const { describeTransport } = await import('../../delivery/create-transport.js');
        cli.err(transportLine(cli, describeTransport(config)));
      }
      let result: Awaited<ReturnType<typeof sendRelease>>;
      try {
        result = await sendRelease(config, {
          release,
          cwd: cli.cwd,
          now: resolveNow(opts.now, config.timeZone),
          ...(opts.lang ? { lang: opts.lang } : {}),
          ...(opts.list ? { list: opts.list } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.test
            ? {
                test: opts.test
                  .split(',')
                  .map((a) => a.trim())
                  .filter(Boolean),
              }
            : {}),
          ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.resendUncertain ? { resendUncertain: true } : {}),
          signal: stop.signal,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.done();
        stop.dispose();
      }
      // Diagnostics go to stderr, with --json too: stdout is the result alone.
      cli.diagnostics(result.diagnostics, config.root);
      if (opts.json) cli.json(result);
      else {
        if (result.busy) cli.err(cli.c.red(busyLine(result.busy, config.timeZone, new Date())));
        if (result.tookOverFrom) cli.err(tookOverLine(result.tookOverFrom));
        for (const line of recoveredLines(cli, result.recovered)) cli.err(line);
        if (result.dryRun) cli.out(`Dry run through the ${result.transport.kind}: nothing is sent.`);
        for (const t of result.tests) {
          cli.out(
            `${t.ok ? cli.c.green('✓') : cli.c.red('✗')} test of ${label(t)} to ${t.to}: ${t.response}`,
          );
        }
        for (const r of result.dispatches) for (const line of reportLines(cli, r)) cli.out(line);
      }
      cli.exit(stop.stopped() ? 130 : result.ok ? 0 : 1);
    });
}

/**
 * `--workers N`: the same command N times over, minus `--workers` and with `--json`, as child
 * processes; their progress combined on stderr, their outcome combined on stdout, the worst exit code.
 */
async function sendWorkers(cli: Cli, config: Config, opts: SendFlags): Promise<void> {
  const { sendWithWorkers } = await import('../../publish/workers.js');
  const args = withoutWorkersFlag(process.argv.slice(2));
  if (!args.includes('--json')) args.push('--json');
  const stop = stopOnSignals(cli);
  const progress = new Map<number, { label: string; done: number; total: number; rate: number }>();
  const said = new Map<number, string[]>();
  let printed = Date.now();
  let result: Awaited<ReturnType<typeof sendWithWorkers>>;
  try {
    result = await sendWithWorkers(config, {
      workers: opts.workers!,
      command: [process.execPath, ...process.execArgv, process.argv[1]!, ...args],
      signal: stop.signal,
      onLine(worker, line) {
        const event = progressEvent(line);
        if (!event) {
          said.set(worker, [...(said.get(worker) ?? []), line]);
          return;
        }
        progress.set(worker, event);
        if (opts.json || Date.now() - printed < 5_000) return;
        printed = Date.now();
        const all = [...progress.values()];
        const rate = all.reduce((a, p) => a + p.rate, 0);
        cli.err(
          `${all[0]!.label}: ${Math.max(...all.map((p) => p.done))}/${all[0]!.total} (${all.length} workers, ${Math.round(rate)}/s together)`,
        );
      },
    });
  } finally {
    stop.dispose();
  }
  cli.diagnostics(result.diagnostics, config.root);
  if (opts.json) cli.json(result);
  else {
    for (const w of result.workers) {
      const r = w.result;
      if (r?.tookOverFrom) cli.err(`worker ${w.index}: ${tookOverLine(r.tookOverFrom)}`);
      for (const line of recoveredLines(cli, r?.recovered ?? [])) cli.err(`worker ${w.index}: ${line}`);
      const sent = (r?.dispatches ?? []).reduce((a, d) => a + d.run.sent, 0);
      cli.err(
        `worker ${w.index} (pid ${w.pid}): ${r ? `${sent} sent` : 'no result'}, exit code ${w.exitCode}`,
      );
      // What a worker that gave no result said (why it stopped).
      if (!r) for (const line of said.get(w.index) ?? []) cli.err(`  ${line}`);
    }
    for (const r of result.dispatches) for (const line of reportLines(cli, r)) cli.out(line);
  }
  cli.exit(stop.stopped() ? 130 : result.exitCode);
}

function withoutWorkersFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--workers') i++;
    else if (!a.startsWith('--workers=')) out.push(a);
  }
  return out;
}

function progressEvent(line: string) {
  if (!line.startsWith('{"event":"progress"')) return undefined;
  const e = JSON.parse(line) as {
    releaseId: string;
    listId: string;
    total: number;
    sent: number;
    failed: number;
    skipped: number;
    uncertain: number;
    rate: number;
  };
  return {
    label: label(e),
    done: e.sent + e.failed + e.skipped + e.uncertain,
    total: e.total,
    rate: e.rate,
  };
}
