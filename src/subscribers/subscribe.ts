import type { Store } from '../store/types.js';
import { type ConfirmationRequest, recordConfirmationSent } from './confirmation.js';
import { applyEnrolment, planEnrolment } from './enrol.js';

export interface FormSubscription {
  /** Normalised. */
  email: string;
  name: string | null;
  lang: string;
  /** Configured list ids. */
  lists: string[];
  ip: string | null;
  now: Date;
}

/**
 * A sign-up from the public form: the person becomes (or stays) pending on the lists until they confirm.
 * Returns what the confirmation mail needs, or undefined when no mail is due (already on every list,
 * or an address that must not be mailed) — the caller answers the visitor the same way in every case.
 */
export async function requestSubscription(
  store: Pick<Store, 'transaction'>,
  request: FormSubscription,
): Promise<ConfirmationRequest | undefined> {
  return store.transaction(async ({ subscribers: repo }) => {
    const plan = planEnrolment(
      await repo.find(request.email),
      await repo.suppression(request.email),
      {
        email: request.email,
        name: request.name,
        lang: request.lang,
        defaultLang: request.lang,
        lists: request.lists,
        confirmed: false,
        source: 'form',
        ip: request.ip,
        force: false,
      },
      request.now,
    );
    const id = await applyEnrolment(repo, plan, request.email, request.now);
    if (id === undefined || plan.kind === 'skip' || plan.awaiting.length === 0) return undefined;
    const subscriber = (await repo.get(id))!;
    // The caller sends the mail at once (retrying as in `newsletter.delivery`): its link's lifetime
    // starts now.
    await recordConfirmationSent(repo, { subscriberId: id, lists: plan.awaiting }, 'form', request.now);
    // The mail speaks the language the form was filled in.
    return {
      subscriberId: id,
      email: subscriber.email,
      lang: request.lang,
      lists: plan.awaiting,
    };
  });
}
