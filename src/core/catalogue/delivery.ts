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
});
