import { Command, InvalidArgumentError } from 'commander';
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

export const parseRate = (value: string): number => {
  const rate = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(rate)) {
    throw new InvalidArgumentError('give messages per second as a number (0 means no limit).');
  }
  return rate;
};

export const parseConcurrency = (value: string): number => {
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
  now?: string;
  json?: boolean;
}

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
      '--now <date-time>',
      'the current time, to decide whether the release is published (for scripts and tests)',
    )
    .action(async function (this: Command, release: string, opts: SendFlags) {
      const config = cli.config(this);
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
      if (opts.json) cli.out(JSON.stringify(result, null, 2));
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
