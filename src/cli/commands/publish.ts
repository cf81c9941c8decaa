import path from 'node:path';
import { Command } from 'commander';
import { hasErrors } from '../../core/diagnostic.js';
import type { SkipReason } from '../../publish/plan.js';
import { localDateTime } from '../../core/time.js';
import { resolveNow, type Cli } from '../context.js';
import {
  busyLine,
  duration,
  n,
  progressPrinter,
  recoveredLines,
  reportLines,
  stopOnSignals,
  tookOverLine,
  transportLine,
} from '../dispatch-output.js';
import { prestartParsers } from '../../content/parser-threads.js';

const SKIPS: Record<SkipReason, string> = {
  'already-sent': 'already sent',
  'newsletter-off': 'newsletter: false',
  'release-withdrawn': 'withdrawn',
  'no-list': 'no list takes its language and topics',
  briefed: 'the press list was briefed before the embargo',
  withdrawn:
    'unfinished dispatch not resumed: the release is gone, unpublished, a draft, withdrawn or has "newsletter: false" now',
};

export function publishCommand(cli: Cli): Command {
  return new Command('publish')
    .description(
      'Check, build the archive, and send the newsletter of every release that has come due. Safe to run from cron.',
    )
    .option('--now <date-time>', 'the current time: what is due is decided by it (for scripts and tests)')
    .option('--dry-run', 'check and show what would be built and sent; write and send nothing')
    .action(async function (this: Command, opts: { now?: string; dryRun?: boolean; json?: boolean }) {
      const config = cli.config(this);
      prestartParsers(config);
      const { publish } = await import('../../publish/publish.js');
      const now = resolveNow(opts.now, config.timeZone);
      const stop = stopOnSignals(cli);
      const progress = progressPrinter(cli, !!opts.json);
      let result: Awaited<ReturnType<typeof publish>>;
      try {
        result = await publish(config, {
          now,
          ...(opts.dryRun ? { dryRun: true } : {}),
          signal: stop.signal,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.done();
        stop.dispose();
      }
      cli.exit(stop.stopped() ? 130 : result.ok ? 0 : 1);
      // Diagnostics go to stderr, with --json too: stdout is the result alone.
      cli.diagnostics(result.diagnostics, config.root);
      if (opts.json) return cli.json(result);

      const { c } = cli;
      if (!result.site && !result.dryRun && hasErrors(result.diagnostics)) {
        return cli.err(
          c.red(`Nothing was built or sent: fix the errors above (${result.checkedFiles} files checked).`),
        );
      }
      cli.err(transportLine(cli, result.transport));
      if (result.busy) return cli.err(busyLine(result.busy, config.timeZone, new Date()));
      if (result.tookOverFrom) cli.err(tookOverLine(result.tookOverFrom));
      for (const line of recoveredLines(cli, result.recovered)) cli.err(line);
      if (result.dryRun) cli.out(`Dry run: ${result.checkedFiles} files checked; nothing is built or sent.`);
      if (result.site) {
        const out = path.relative(cli.cwd, result.site.outDir) || '.';
        cli.out(`Built ${n(result.site.pages)} pages in ${out}/ (${n(result.site.written)} written).`);
        if (hasErrors(result.diagnostics) && !result.dispatches.length)
          return cli.err(c.red('The build failed: nothing was sent.'));
      }
      for (const r of result.dispatches) for (const line of reportLines(cli, r)) cli.out(line);
      if (!result.dispatches.length) cli.out('No newsletter is due.');
      const sentBefore = result.skipped.filter((s) => s.reason === 'already-sent').length;
      if (sentBefore)
        cli.out(
          c.dim(`  ${n(sentBefore)} recent dispatch${sentBefore === 1 ? ' was' : 'es were'} sent earlier.`),
        );
      for (const s of result.skipped.filter((s) => s.reason !== 'already-sent')) {
        cli.out(c.dim(`  not sent: ${s.releaseId}${s.listId ? ` → ${s.listId}` : ''}: ${SKIPS[s.reason]}`));
      }
      if (result.tooOld.length) {
        cli.out(
          c.dim(
            `  not sent: ${n(result.tooOld.length)} published release${result.tooOld.length === 1 ? '' : 's'} older than newsletter.maxAge (${duration(config.newsletter.maxAgeMs)}), never mailed by publish ("scs send <release>" sends one anyway).`,
          ),
        );
      }
      if (result.nextDue) {
        const at = localDateTime(result.nextDue, config.timeZone);
        cli.out(
          result.nextDueReason === 'retry'
            ? `Next retry due: ${at} (run scs publish again then: the paused dispatch resumes).`
            : result.nextDueReason === 'briefing'
              ? `Next briefing due: ${at} (press lists, before an embargo).`
              : `Next release due: ${at}.`,
        );
      }
    });
}
