import { defineDiagnostics } from './define.js';

/** Bounces and complaints: `scs bounces fetch`, `scs bounces report`, the relay webhooks (bounces/). */
export const bouncesDiagnostics = defineDiagnostics({
  'bounce-message-too-large': {
    severity: 'warning',
    title: 'A message in the bounce mailbox is too large to be a bounce; it was left where it is',
    message: (a: { size: number; max: number }) =>
      `This message is ${a.size.toFixed(1)} MB, more than the ${a.max} MB a bounce report can be; it was left in the mailbox, unread.`,
    hint: 'Look at it in a mail client; delete it there if it is not for scs.',
  },
  'bounce-malformed': {
    severity: 'warning',
    title: 'A message says it is a delivery or feedback report but cannot be read; it was left where it is',
    message: (a: { reason: string }) =>
      `This message says it is a delivery or feedback report, but it cannot be read (${a.reason}); it was left in the mailbox and nothing was applied.`,
    hint: 'Look at it in a mail client. If it is about an address that no longer works, suppress the address by hand (scs subscribers remove or import with status bounced).',
  },
  'bounce-token-forged': {
    severity: 'warning',
    title: "A bounce's VERP token was not signed with this project's secret; it was ignored",
    message: (a: { address: string }) =>
      `This report was sent to ${a.address}, whose VERP token was not signed with this project's secret; it was ignored and left in the mailbox.`,
    hint: 'Someone may be forging bounces to unsubscribe your readers; nothing was applied. If SCS_SECRET changed since the dispatch, bounces to its old messages cannot be verified.',
  },
  'bounce-source-missing': {
    severity: 'error',
    title: 'scs bounces fetch was given no mailbox to read',
    message: () =>
      'There is no bounce mailbox to read: give --maildir <dir>, --mbox <file> or --stdin, or set SCS_BOUNCE_IMAP_URL.',
    hint: 'For example: scs bounces fetch --maildir ~/Maildir/.Bounces, or SCS_BOUNCE_IMAP_URL=imaps://user:password@mail.example.org/INBOX.',
  },
  'bounce-mailbox-unreadable': {
    severity: 'error',
    title: 'The bounce mailbox cannot be read',
    message: (a: { mailbox: string; reason: string }) => `Cannot read the mailbox ${a.mailbox}: ${a.reason}.`,
    hint: 'A Maildir is a folder with cur/, new/ and tmp/ in it; an mbox is one file. Check the path and its permissions.',
  },
  'bounce-imap-failed': {
    severity: 'error',
    title: 'The IMAP bounce mailbox (SCS_BOUNCE_IMAP_URL) cannot be read',
    message: (a: { server: string; reason: string }) => `The IMAP server ${a.server} failed: ${a.reason}.`,
    hint: 'Check SCS_BOUNCE_IMAP_URL (imaps://user:password@host/INBOX; the password URL-encoded), that the server is reachable, and the credentials.',
  },
  'bounce-imap-url-invalid': {
    severity: 'error',
    title: 'SCS_BOUNCE_IMAP_URL is not an imap:// or imaps:// URL with a user and password',
    message: () => 'SCS_BOUNCE_IMAP_URL is not an imap:// or imaps:// URL with a user and a password.',
    hint: 'Use imaps://user:password@mail.example.org/INBOX (the folder is optional and defaults to INBOX; URL-encode special characters in the password).',
  },
  'bounce-webhook-setting-invalid': {
    severity: 'error',
    title:
      'scs serve: the setting of a relay webhook (SCS_SES_TOPIC_ARN, SCS_SENDGRID_VERIFICATION_KEY) is not usable',
    /** `problem`: the rest of a sentence that starts with the variable's name. */
    message: (a: { name: string; problem: string }) => `${a.name} ${a.problem}; scs serve did not start.`,
    hint: 'SCS_SES_TOPIC_ARN takes the ARNs of your SNS topics (arn:aws:sns:eu-north-1:123456789012:press-bounces; several comma separated); SCS_SENDGRID_VERIFICATION_KEY the verification key exactly as SendGrid shows it under Mail Settings → Event Webhook. Unset a variable to turn its relay off.',
  },
  'bounce-not-suppressed': {
    severity: 'error',
    title: 'scs subscribers unsuppress: the address is not suppressed',
    message: (a: { email: string }) => `${a.email} is not suppressed; nothing changed.`,
    hint: 'scs subscribers show <email> tells whether an address is suppressed, and why.',
  },
  'bounce-unsuppress-refused': {
    severity: 'error',
    title: 'scs subscribers unsuppress lifts only bounce and complaint suppressions',
    message: (a: { email: string; reason: string }) =>
      `${a.email} is suppressed because of "${a.reason}", which was the person's own wish; unsuppress lifts only bounces and complaints.`,
    hint: 'They can subscribe again themselves (the form, with a confirmation), or be added with scs subscribers add --force-resubscribe on their documented request.',
  },
  'bounce-rate-high': {
    severity: 'warning',
    title: 'The bounce or complaint rate of a list or receiving domain is over what mailbox providers accept',
    message: (a: { what: string; kind: string; rate: string; limit: string }) =>
      `${a.what}: ${a.kind} rate ${a.rate}, over ${a.limit}.`,
    hint: 'Gmail and Yahoo refuse senders whose complaint rate stays over 0.3 %. Check how the addresses were collected (double opt-in), and that unsubscribing is easy.',
  },
});
