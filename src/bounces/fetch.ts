import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Store } from '../store/types.js';
import { applyEvents } from './apply.js';
import { parseMessage } from './parse.js';
import { DISPOSITIONS, type Disposition, type MessagePlan, planMessage } from './plan.js';
import { type BounceSource, MAX_MESSAGE_BYTES, type MailboxMessage } from './sources/types.js';

const BATCH = 500;

export interface FetchReport {
  source: string;
  /** Messages looked at. */
  messages: number;
  /** How many of them ended how: `applied` and `duplicate` were moved out of the way, the rest left. */
  counts: Record<Disposition, number>;
  /** Bounce and complaint events recorded. */
  recorded: number;
  /** Addresses suppressed by them. */
  suppressed: number;
  elapsedMs: number;
  diagnostics: Diagnostic[];
}

/**
 * Reads a bounce mailbox and applies what it finds, message by message: parse, plan (match to deliveries,
 * reads only), apply (the store, a batch of messages per transaction), then move the messages out of the
 * way once applied. What is not recognised is left where it is and counted; nothing throws on a bad message.
 */
export async function fetchBounces(
  config: Config,
  store: Pick<Store, 'bounces' | 'transaction'>,
  source: BounceSource,
  options: { secret: string; now: Date },
): Promise<FetchReport> {
  const started = performance.now();
  const counts = Object.fromEntries(DISPOSITIONS.map((d) => [d, 0])) as Record<Disposition, number>;
  const result: FetchReport = {
    source: source.description,
    messages: 0,
    counts,
    recorded: 0,
    suppressed: 0,
    elapsedMs: 0,
    diagnostics: [],
  };
  // Applied in batches, one transaction each (a commit per message cost more than the rest together);
  // the messages are moved only once their batch is committed: a crash in between leaves them in the
  // mailbox, and the next run finds them applied already.
  let batch: { message: MailboxMessage; plan: MessagePlan }[] = [];
  const flush = async () => {
    const done = batch;
    batch = [];
    if (!done.length) return;
    const applied = await applyEvents(
      store,
      done.flatMap(({ plan }) => plan.events),
      config.newsletter.bounce,
      options.now,
    );
    result.recorded += applied.recorded;
    result.suppressed += applied.suppressed;
    for (const { message } of done) await source.processed(message);
  };
  for await (const message of source.messages()) {
    result.messages++;
    if (message.size > MAX_MESSAGE_BYTES) {
      counts['too-large']++;
      result.diagnostics.push(
        report('bounce-message-too-large', {
          size: message.size / 1024 / 1024,
          max: MAX_MESSAGE_BYTES / 1024 / 1024,
          file: message.where,
        }),
      );
      continue;
    }
    const parsed = parseMessage(await message.read());
    const plan = await planMessage(parsed, {
      secret: options.secret,
      bounces: store.bounces,
      source: source.kind,
      where: message.where,
      now: options.now,
    });
    counts[plan.disposition]++;
    if (plan.diagnostic) result.diagnostics.push(plan.diagnostic);
    if (plan.disposition !== 'applied' && plan.disposition !== 'duplicate') continue;
    batch.push({ message, plan });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  result.elapsedMs = performance.now() - started;
  return result;
}
