import type { Config } from '../config/types.js';
import { fatal } from '../core/catalogue/index.js';
import type { ScsError } from '../core/diagnostic.js';
import { outboxDir } from '../delivery/create-transport.js';
import { removeOutboxMessages } from '../delivery/outbox.js';
import type { SendResult, Transport } from '../delivery/transport.js';
import type { Subscriber, SubscriberEvent, Suppression } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';
import { recordConfirmationSent, sendConfirmation } from './confirmation.js';
import { addressKey, normalizeEmail } from './email.js';
import { applyEnrolment, planEnrolment } from './enrol.js';
import { checkLanguage, checkListsKnown, resolveLists } from './lists.js';
import { unsubscribe } from './membership.js';
import { resolveSecret } from '../config/secret.js';

/** A normalised address, or a usage error saying what is wrong with it. */
export function requireEmail(input: string): string {
  const checked = normalizeEmail(input);
  if (checked.ok) return checked.email;
  throw fatal(2, 'email-invalid', { value: input, reason: checked.reason });
}

function notFound(email: string): ScsError {
  return fatal(1, 'subscriber-not-found', { email });
}

export interface AddOptions {
  email: string;
  lists?: string[];
  name?: string;
  lang?: string;
  /** The operator states the person has already given consent: no confirmation mail. */
  confirmed?: boolean;
  /** Put a suppressed or unsubscribed address back (only when the person asked for it). */
  forceResubscribe?: boolean;
  now: Date;
  /** Sends the confirmation mail for lists that wait for it; without one nothing is sent. */
  transport?: Transport;
  /**
   * A journalist on press lists: their outlet and beat, and the consent record (the operator who adds
   * them and why). Press lists have no double opt-in: adding to press lists only needs no confirmation.
   */
  press?: { outlet?: string; beat?: string[]; reason?: string; addedBy: string };
}

export interface AddResult {
  outcome: 'added' | 'updated' | 'unchanged';
  subscriber: Subscriber;
  /** What changed ("+nyheter", "name", "confirmed"). */
  changes: string[];
  /** Lists waiting for the person's confirmation. */
  awaiting: string[];
  /** The confirmation mail's fate, when one was sent. */
  confirmation?: SendResult;
}

/** `scs subscribers add`: one person onto lists, by the operator (consent source "cli"). */
export async function addSubscriber(config: Config, store: Store, options: AddOptions): Promise<AddResult> {
  const email = requireEmail(options.email);
  const lists = resolveLists(config, options.lists);
  if (options.lang !== undefined) checkLanguage(config, options.lang);
  const name = options.name?.trim() || null;
  const onlyPress = lists.every((l) => config.newsletter.lists[l]?.audience === 'press');
  const reason = options.press?.reason?.trim();
  if (onlyPress && !reason) throw fatal(2, 'press-reason-missing', { list: lists.join(', '), email });
  const repo = store.subscribers;
  const { plan, id } = await store.transaction(async ({ subscribers: repo }) => {
    const plan = planEnrolment(
      await repo.find(email),
      await repo.suppression(email),
      {
        email,
        name,
        lang: options.lang ?? null,
        defaultLang: config.newsletter.lists[lists[0]!]!.lang,
        lists,
        confirmed: (options.confirmed ?? false) || onlyPress,
        source: 'cli',
        ip: null,
        force: options.forceResubscribe ?? false,
      },
      options.now,
    );
    const id = await applyEnrolment(repo, plan, email, options.now);
    if (id !== undefined && options.press && reason) {
      const before = (await repo.get(id))?.press;
      await repo.update(
        id,
        {
          press: {
            outlet: options.press.outlet?.trim() || before?.outlet || null,
            beat: options.press.beat ?? before?.beat ?? [],
            addedBy: options.press.addedBy,
            reason,
          },
        },
        options.now,
      );
    }
    return { plan, id };
  });
  if (plan.kind === 'skip') {
    throw fatal(1, 'subscriber-suppressed', { email, detail: plan.detail });
  }
  const subscriber = (await repo.get(id!))!;
  const result: AddResult = {
    outcome: plan.kind === 'add' ? 'added' : plan.kind === 'update' ? 'updated' : 'unchanged',
    subscriber,
    changes: plan.kind === 'update' ? plan.what : [],
    awaiting: plan.awaiting,
  };
  if (options.transport && plan.awaiting.length) {
    const { secret } = resolveSecret(config);
    result.confirmation = await sendConfirmation(
      config,
      secret,
      options.transport,
      {
        subscriberId: subscriber.id,
        email,
        lang: subscriber.lang,
        lists: plan.awaiting,
      },
      options.now,
    );
    if (result.confirmation.ok)
      await store.transaction((tx) =>
        recordConfirmationSent(
          tx.subscribers,
          { subscriberId: subscriber.id, lists: plan.awaiting },
          'cli',
          options.now,
        ),
      );
  }
  return result;
}

export interface RemoveResult {
  subscriber: Subscriber;
  /** Lists left by this call. */
  left: string[];
}

/** `scs subscribers remove`: off some lists, or all; off the last list means unsubscribed and suppressed. */
export async function removeSubscriber(
  config: Config,
  store: Store,
  options: { email: string; lists?: string[]; now: Date },
): Promise<RemoveResult> {
  const email = requireEmail(options.email);
  if (options.lists?.length) checkListsKnown(config, options.lists);
  const current = await store.subscribers.find(email);
  if (!current) throw notFound(email);
  const { subscriber, left } = await unsubscribe(
    store,
    current.id,
    options.lists?.length ? options.lists : 'all',
    {
      now: options.now,
      source: 'cli',
    },
  );
  return { subscriber: subscriber!, left };
}

export interface SubscriberReport {
  email: string;
  /** Undefined when nothing but (perhaps) a suppression entry is stored. */
  subscriber?: Subscriber;
  history: SubscriberEvent[];
  suppression?: Suppression;
}

/** `scs subscribers show`: everything stored about one person (the GDPR access answer). */
export async function describeSubscriber(store: Store, emailInput: string): Promise<SubscriberReport> {
  const email = requireEmail(emailInput);
  const subscriber = await store.subscribers.find(email);
  const suppression = await store.subscribers.suppression(email);
  if (!subscriber && !suppression) throw notFound(email);
  return {
    email,
    ...(subscriber ? { subscriber } : {}),
    history: subscriber ? await store.subscribers.history(subscriber.id) : [],
    ...(suppression ? { suppression } : {}),
  };
}

export interface EraseResult {
  email: string;
  /** False when nothing was stored about the address (it is still suppressed from now on). */
  erased: boolean;
  suppression: Suppression;
  /** Messages to them deleted from the file outbox. */
  outboxMessages: number;
  /**
   * False when another process was reading the database, so that the write-ahead log (which may still
   * hold the erased data) could not be emptied; erasing again later finishes it.
   */
  logCleared: boolean;
}

/**
 * `scs subscribers erase` (GDPR right to erasure): deletes the person's data and history, the server
 * replies about them in past dispatches (the store does that) and the messages to them in the file
 * outbox, then empties the write-ahead log, where the deleted rows would otherwise linger. Only the
 * keyed hash stays on the suppression list, so the address cannot come back by an import or the form
 * unnoticed.
 */
export async function eraseSubscriber(
  config: Config,
  store: Store,
  options: { email: string; now: Date },
): Promise<EraseResult> {
  const email = requireEmail(options.email);
  const result = await store.transaction(async ({ subscribers: repo }) => {
    const subscriber = await repo.find(email);
    await repo.suppress(email, 'erased', options.now);
    if (subscriber) await repo.erase(subscriber.id);
    return { email, erased: subscriber !== undefined, suppression: (await repo.suppression(email))! };
  });
  const key = addressKey(email);
  const outboxMessages = removeOutboxMessages(outboxDir(config).dir, (a) => addressKey(a) === key);
  return { ...result, outboxMessages, logCleared: await store.checkpoint() };
}
