import { defineDiagnostics } from './define.js';

/** How scs reaches the mail server (delivery/). */
export const deliveryDiagnostics = defineDiagnostics({
  'smtp-url-invalid': {
    severity: 'error',
    title: 'SCS_SMTP_URL is not an smtp:// or smtps:// URL, has an unknown option, or is badly encoded',
    /** `problem`: what is wrong, as the rest of a sentence that starts "SCS_SMTP_URL". */
    message: (a: { problem: string }) => `SCS_SMTP_URL ${a.problem}`,
    hint: 'Write it as smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://user:password@host:465 (TLS from the start); percent-encode special characters in the user and password. Options: ?requireTLS=true, ?ignoreTLS=true, ?rejectUnauthorized=false, ?name=<EHLO name>.',
  },
  'dispatch-lease-lost': {
    severity: 'error',
    title:
      "A send worker's lease ended (it was silent too long): it stopped, and others took over its recipients",
    message: (a: { expired: string; now: string }) =>
      `This worker's lease on the dispatches ended (${a.expired}; now ${a.now}): it was frozen or cut off from the database for longer than its lease, so other workers may have taken over its recipients. It committed and sent nothing more.`,
    hint: 'Nobody is mailed twice: the messages it had with the mail server are "uncertain" (see scs status). Run scs send again to finish the dispatch. If the machine is merely slow, raise newsletter.delivery.leaseMs.',
  },
  'send-workers-sqlite': {
    severity: 'error',
    title: '--workers needs the PostgreSQL store',
    message: (a: { workers: number }) =>
      `--workers ${a.workers} needs the PostgreSQL store: on SQLite one process sends at a time.`,
    hint: 'Set SCS_DATABASE=postgres://user@host/db (move the newsroom there with scs db copy --from .scs/scs.db --to postgres://…), or leave out --workers.',
  },
});
