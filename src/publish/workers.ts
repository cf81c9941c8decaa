import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { isPostgresUrl } from '../store/postgres/location.js';
import type { SendReleaseResult } from './send.js';
import type { DispatchReport } from './types.js';

/** One worker process of `scs send --workers N`. */
export interface WorkerOutcome {
  index: number;
  pid: number;
  exitCode: number;
  /** Its own result (`--json`), unless it died before giving one. */
  result?: SendReleaseResult;
}

export interface WorkersResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  workers: WorkerOutcome[];
  /** The dispatches as the workers left them together: what each run did, summed; the last counts. */
  dispatches: DispatchReport[];
  /** The worst of the workers' exit codes (the CLI exits with it). */
  exitCode: number;
}

export interface WorkersOptions {
  workers: number;
  /** The command line of one worker: the executable and its arguments (a `scs send … --json`). */
  command: readonly string[];
  /** Aborting (Ctrl-C) asks every worker to stop after its messages in flight. */
  signal?: AbortSignal;
  /** Each line a worker writes to stderr (diagnostics, progress events), as it comes. */
  onLine?(worker: number, line: string): void;
}

/**
 * `scs send --workers N`: starts N processes of the same `scs send`, which work the dispatches together
 * through their PostgreSQL leases, and waits for all of them. On SQLite (one dispatch lock, one sender)
 * it refuses.
 */
export async function sendWithWorkers(config: Config, options: WorkersOptions): Promise<WorkersResult> {
  if (!isPostgresUrl(config.env.database)) {
    return {
      ok: false,
      diagnostics: [report('send-workers-sqlite', { workers: options.workers })],
      workers: [],
      dispatches: [],
      exitCode: 2,
    };
  }
  const [executable, ...args] = options.command;
  const children = Array.from({ length: options.workers }, (_, index) => {
    // A group of its own: a Ctrl-C at the terminal reaches the parent only, which passes it on once
    // (a second one would make a worker quit without waiting for its messages in flight).
    const child = spawn(executable!, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    createInterface({ input: child.stderr }).on('line', (line) => options.onLine?.(index + 1, line));
    const done = new Promise<WorkerOutcome>((resolve) => {
      child.on('close', (code, signal) => {
        let result: SendReleaseResult | undefined;
        try {
          result = JSON.parse(out, dates) as SendReleaseResult;
        } catch {
          // It died before printing its result (killed, say): its exit code tells.
        }
        resolve({
          index: index + 1,
          pid: child.pid ?? 0,
          exitCode: code ?? (signal === 'SIGINT' ? 130 : 1),
          ...(result ? { result } : {}),
        });
      });
    });
    return { child, done };
  });
  const stop = () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGINT');
  };
  // When the parent quits at once (a second Ctrl-C), the workers are told a second time too.
  const quit = () => stop();
  options.signal?.addEventListener('abort', stop);
  process.on('exit', quit);
  let workers: WorkerOutcome[];
  try {
    workers = await Promise.all(children.map((c) => c.done));
  } finally {
    options.signal?.removeEventListener('abort', stop);
    process.off('exit', quit);
  }
  const diagnostics = workers.flatMap((w) => w.result?.diagnostics ?? []);
  const exitCode = Math.max(...workers.map((w) => w.exitCode));
  return {
    ok: exitCode === 0,
    diagnostics: dedupe(diagnostics),
    workers,
    dispatches: combine(workers),
    exitCode,
  };
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** A worker's result as it was before JSON: its times are Dates again. */
const dates = (_key: string, value: unknown) =>
  typeof value === 'string' && ISO_TIME.test(value) ? new Date(value) : value;

const STATE_RANK: Record<DispatchReport['state'], number> = {
  done: 0,
  planned: 0,
  'not-started': 1,
  stopped: 2,
  paused: 3,
};

/** One report per dispatch: what each worker's run did, summed; the state and counts of the last. */
function combine(workers: readonly WorkerOutcome[]): DispatchReport[] {
  const byKey = new Map<string, DispatchReport>();
  for (const w of workers) {
    for (const r of w.result?.dispatches ?? []) {
      const key = `${r.releaseId} ${r.listId} ${r.kind ?? ''} ${r.variant ?? ''} ${r.transport}`;
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, { ...r, run: { ...r.run } });
        continue;
      }
      for (const k of Object.keys(seen.run) as (keyof DispatchReport['run'])[]) seen.run[k] += r.run[k];
      seen.elapsedMs = Math.max(seen.elapsedMs, r.elapsedMs);
      seen.added += r.added;
      seen.requeued += r.requeued;
      if (r.start === 'new') seen.start = 'new';
      // The worker that finished last saw the ledger as all of them left it.
      if (done(r) >= done(seen)) seen.counts = r.counts;
      if (STATE_RANK[r.state] > STATE_RANK[seen.state]) {
        seen.state = r.state;
        if (r.reason) seen.reason = r.reason;
      }
    }
  }
  return [...byKey.values()];
}

const done = (r: DispatchReport) => r.counts.sent + r.counts.failed + r.counts.skipped + r.counts.uncertain;

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
