import { localDateTime } from '../core/time.js';
import type { DeliveryCounts } from '../store/ledger-types.js';
import type {
  DispatchProgress,
  DispatchReport,
  LockHolder,
  RecoveredDispatch,
  TransportInfo,
} from '../publish/types.js';
import type { Cli } from './context.js';

/** What `scs send` and `scs publish` print about sending, shared so that both read alike. */

const number = new Intl.NumberFormat('en-GB');
export const n = (value: number) => number.format(Math.round(value));

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  const h = Math.floor((s % 86400) / 3600);
  return `${Math.floor(s / 86400)} d${h ? ` ${h} h` : ''}`;
}

/** What a notice announces: "withdrawn", or "embargo moved to <ISO>". */
export const noticeText = (variant = '') =>
  variant.startsWith('embargo:') ? `embargo moved to ${variant.slice('embargo:'.length)}` : variant;

/** "sv/x → nyheter", and what a press mail is: "(briefing)", "(correction 2026-12-08)", "(notice: withdrawn)". */
export const label = (d: { releaseId: string; listId: string; kind?: string; variant?: string }) => {
  const what =
    !d.kind || d.kind === 'newsletter'
      ? ''
      : d.kind === 'notice'
        ? ` (notice: ${noticeText(d.variant)})`
        : ` (${d.kind}${d.variant ? ` ${d.variant}` : ''})`;
  return `${d.releaseId} → ${d.listId}${what}`;
};

/** The transport, loudly when it is the outbox: nobody gets those messages. */
export function transportLine(cli: Cli, transport: TransportInfo): string {
  return transport.kind === 'outbox'
    ? cli.c.yellow(`Nobody is mailed: ${transport.description}.`)
    : `Sending through ${transport.description}.`;
}

export function busyLine(holder: LockHolder, timeZone: string, now: Date): string {
  const ago = Math.max(0, Math.round((now.getTime() - holder.heartbeatAt.getTime()) / 1000));
  return (
    `Another run is dispatching: "${holder.command}" (pid ${holder.pid} on ${holder.host}, started ` +
    `${localDateTime(holder.startedAt, timeZone)}, last heartbeat ${ago} s ago). Nothing was sent.`
  );
}

export function tookOverLine(holder: LockHolder): string {
  return `Took over the dispatch lock from "${holder.command}" (pid ${holder.pid} on ${holder.host}), which is no longer running.`;
}

export function recoveredLines(cli: Cli, recovered: readonly RecoveredDispatch[]): string[] {
  return recovered.map((r) =>
    cli.c.yellow(
      `An earlier run stopped while ${n(r.uncertain)} message(s) of ${label(r)} were with the transport: they are marked uncertain and not sent again. "scs status ${r.releaseId}" lists them; "scs send ${r.releaseId} --list ${r.listId} --resend-uncertain" sends them again (some may then get it twice).`,
    ),
  );
}

/** With `sentNow` (this run's), what an earlier run sent is told apart: "0 sent now, 6 sent before". */
function countsText(c: DeliveryCounts, sentNow?: number): string {
  const before = sentNow === undefined ? 0 : c.sent - sentNow;
  const parts = [
    before > 0 ? `${n(c.sent - before)} sent now, ${n(before)} sent before` : `${n(c.sent)} sent`,
  ];
  if (c.failed) parts.push(`${n(c.failed)} failed`);
  if (c.uncertain) parts.push(`${n(c.uncertain)} uncertain`);
  if (c.skipped) parts.push(`${n(c.skipped)} skipped`);
  if (c.pending + c.sending) parts.push(`${n(c.pending + c.sending)} pending`);
  return parts.join(', ');
}

/** One dispatch's outcome, and its diagnostics' messages when it could not start. */
export function reportLines(cli: Cli, r: DispatchReport): string[] {
  const head = `${label(r)} (${n(r.total)} recipient${r.total === 1 ? '' : 's'}${r.transport === 'outbox' ? ', outbox' : ''})`;
  const { c } = cli;
  switch (r.state) {
    case 'planned': {
      const what =
        r.start === 'new'
          ? `would start: ${n(r.total)} recipient${r.total === 1 ? '' : 's'} now`
          : r.start === 'resumed'
            ? `would resume: ${countsText(r.counts)}`
            : `already sent: ${countsText(r.counts)}`;
      return [`${label(r)}: ${what}`];
    }
    case 'done': {
      if (r.start === 'finished' && !r.requeued && !r.added) {
        return [`${head}: ${countsText(r.counts, r.run.sent)}; nothing to do.`];
      }
      const extra = [
        r.added ? `${n(r.added)} new subscriber${r.added === 1 ? '' : 's'} added` : '',
        r.requeued ? `${n(r.requeued)} uncertain sent again` : '',
      ].filter(Boolean);
      const note = extra.length ? ` (${extra.join(', ')})` : '';
      const retried = r.run.retried ? `, ${n(r.run.retried)} retr${r.run.retried === 1 ? 'y' : 'ies'}` : '';
      const bounced = r.run.bounced
        ? `, ${n(r.run.bounced)} address${r.run.bounced === 1 ? '' : 'es'} suppressed as bounced`
        : '';
      return [
        `${c.green('✓')} ${head}${note}: ${countsText(r.counts, r.run.sent)} in ${duration(r.elapsedMs)}${retried}${bounced}.`,
      ];
    }
    case 'paused':
      return [
        `${c.red('⏸')} ${head}: paused (${countsText(r.counts, r.run.sent)}): ${r.reason}. The next run resumes it.`,
      ];
    case 'stopped':
      return [
        `${c.yellow('■')} ${head}: stopped (${countsText(r.counts, r.run.sent)}): ${r.reason}. The next run resumes it.`,
      ];
    case 'not-started':
      return [`${c.red('✗')} ${label(r)}: not sent: ${r.reason}.`];
  }
}

/**
 * Progress while sending: a bar redrawn in place on a terminal; a plain line every few seconds
 * otherwise (CI logs); JSON lines with `--json`. All on stderr, so stdout stays the result.
 */
export function progressPrinter(
  cli: Cli,
  json: boolean,
  everyMs = 5_000,
): { onProgress: (p: DispatchProgress) => void; done(): void } {
  const tty = !!cli.stderr.isTTY && !json;
  const every = tty ? 0 : everyMs;
  // Quiet for the first interval: a short dispatch needs no progress lines at all.
  let last = tty ? 0 : Date.now();
  let drawn = false;
  const clear = () => {
    if (drawn) cli.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    onProgress(p) {
      const now = Date.now();
      if (!p.final && now - last < every) return;
      last = now;
      const c = p.counts;
      const done = c.sent + c.failed + c.skipped + c.uncertain;
      const total = p.dispatch.total;
      if (json) {
        cli.err(
          JSON.stringify({
            event: 'progress',
            releaseId: p.dispatch.releaseId,
            listId: p.dispatch.listId,
            total,
            ...c,
            rate: Math.round(p.rate),
            etaMs: p.etaMs ?? null,
          }),
        );
        return;
      }
      const eta = p.etaMs !== undefined && !p.final ? `, ETA ${duration(p.etaMs)}` : '';
      const stats = `${n(c.sent)} sent, ${n(c.failed)} failed, ${n(p.rate)}/s${eta}`;
      if (!tty) {
        if (!p.final) cli.err(`${label(p.dispatch)}: ${n(done)}/${n(total)} (${stats})`);
        return;
      }
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      clear();
      if (p.final) return;
      cli.stderr.write(`${label(p.dispatch)} ${bar} ${n(done)}/${n(total)} ${stats}`);
      drawn = true;
    },
    done: clear,
  };
}

/** Ctrl-C (or SIGTERM) stops after the messages in flight, so nothing is left uncertain; twice quits at once. */
export function stopOnSignals(cli: Cli): { signal: AbortSignal; dispose(): void; stopped(): boolean } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    cli.err(
      cli.c.yellow(
        `\n${name}: finishing the messages in flight, then stopping (press Ctrl-C again to quit at once).`,
      ),
    );
    controller.abort(`interrupted (${name})`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
    stopped: () => controller.signal.aborted,
  };
}
