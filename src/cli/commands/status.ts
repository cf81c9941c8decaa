import { Command } from 'commander';
import { localDateTime } from '../../core/time.js';
import type { MailSummary, ReleaseSummary } from '../../publish/press-status.js';
import type { Cli } from '../context.js';
import { label, n, noticeText, transportLine } from '../dispatch-output.js';

/** A line per release: "sv/x: briefed 2 journalists 2027-02-01T08:00+01:00; newsletter 5 sent …". */
function releaseLines(releases: readonly ReleaseSummary[], at: (d: Date | null) => string): string[] {
  const sent = (s: MailSummary) => `${n(s.sent)} sent ${at(s.at)}`;
  return releases.map((r) => {
    const parts = [
      r.briefed
        ? `briefed ${n(r.briefed.sent)} journalist${r.briefed.sent === 1 ? '' : 's'} ${at(r.briefed.at)}`
        : '',
      r.newsletter ? `newsletter ${sent(r.newsletter)}` : '',
      ...r.corrections.map((c) => `correction ${c.date}: ${sent(c)}`),
      ...r.notices.map((x) => `notice (${noticeText(x.change)}): ${sent(x)}`),
    ];
    return `${r.releaseId}: ${parts.filter(Boolean).join('; ')}`;
  });
}

export function statusCommand(cli: Cli): Command {
  return new Command('status')
    .description(
      'Show each dispatch: planned, sent, failed, uncertain and pending counts, times and the latest problems.',
    )
    .argument('[release]', 'only this release (id, file, slug or translation key)')
    .option(
      '--problems <n>',
      'how many of the latest problems to list per dispatch',
      (v) => Math.max(0, Number.parseInt(v, 10) || 0),
      5,
    )
    .action(async function (
      this: Command,
      release: string | undefined,
      opts: { problems: number; json?: boolean },
    ) {
      const config = cli.config(this);
      const { dispatchStatus } = await import('../../publish/status.js');
      const result = await dispatchStatus(config, {
        ...(release !== undefined ? { release } : {}),
        cwd: cli.cwd,
        problems: opts.problems,
      });
      if (opts.json) return cli.json(result);
      const { c } = cli;
      const at = (d: Date | null) => (d ? localDateTime(d, config.timeZone) : '–');
      cli.err(transportLine(cli, result.transport));
      const now = new Date();
      for (const w of result.workers) {
        // A PostgreSQL lease that ran out is gone: the next run to start ends it.
        const gone =
          w.expiresAt && w.expiresAt.getTime() <= now.getTime() ? ', silent past its lease: gone' : '';
        cli.out(
          c.cyan(
            `Dispatching now: "${w.command}" (pid ${w.pid} on ${w.host}, since ${at(w.startedAt)}, last heartbeat ${at(w.heartbeatAt)}${gone}).`,
          ),
        );
      }
      if (!result.dispatches.length)
        return cli.out(release ? `No dispatch of ${release} yet.` : 'No dispatches yet.');
      for (const line of releaseLines(result.releases, at)) cli.out(line);
      for (const { dispatch: d, counts, problems, bounces } of result.dispatches) {
        const state =
          d.state === 'done'
            ? c.green('done')
            : d.state === 'paused'
              ? c.red('paused')
              : c.yellow('unfinished');
        cli.out(
          `${c.bold(label(d))} over ${d.transport}${d.transport === 'outbox' ? ' (nobody mailed)' : ''}: ${state}`,
        );
        cli.out(`  "${d.subject}"`);
        cli.out(`  planned ${at(d.plannedAt)}, started ${at(d.startedAt)}, finished ${at(d.finishedAt)}`);
        cli.out(
          `  ${n(d.total)} planned: ${n(counts.sent)} sent, ${n(counts.failed)} failed, ${n(counts.uncertain)} uncertain, ` +
            `${n(counts.pending + counts.sending)} pending, ${n(counts.skipped)} skipped`,
        );
        if (bounces.hard || bounces.soft || bounces.complaint) {
          const rate = (k: number) => (counts.sent ? ` (${((k / counts.sent) * 100).toFixed(2)} %)` : '');
          cli.out(
            `  since: ${n(bounces.hard)} bounced hard${rate(bounces.hard)}, ${n(bounces.soft)} soft${rate(bounces.soft)}, ` +
              `${n(bounces.complaint)} complaint${bounces.complaint === 1 ? '' : 's'}${rate(bounces.complaint)} of ${n(counts.sent)} delivered`,
          );
        }
        if (d.pauseReason) cli.out(c.red(`  paused: ${d.pauseReason}`));
        if (counts.uncertain) {
          cli.out(
            c.yellow(
              `  uncertain: a run stopped while these were with the transport; "scs send ${d.releaseId} --list ${d.listId} --resend-uncertain" sends them again.`,
            ),
          );
        }
        for (const p of problems) {
          const attempts = `${p.attempts} attempt${p.attempts === 1 ? '' : 's'}`;
          cli.out(
            `    ${p.status.padEnd(9)} ${p.email || '(erased)'} (${attempts}, ${at(p.at)}${p.messageId ? `, ${p.messageId}` : ''}): ${p.reply ?? ''}`,
          );
        }
      }
    });
}
