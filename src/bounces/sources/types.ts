/** One message in a bounce mailbox, read on demand. */
export interface MailboxMessage {
  /** Where it is, for people and diagnostics: a file, "bounces.mbox:120", "imap INBOX uid 12", "stdin". */
  where: string;
  /** Its size in bytes, known before reading it. */
  size: number;
  /** The message; only called when `size` is within bounds. */
  read(): Promise<Buffer>;
}

/**
 * A bounce mailbox. `processed` moves an applied message out of the way (IMAP: to `Processed`; Maildir:
 * to cur/ with the Seen flag); an mbox and stdin are only read. Nothing else is ever changed or deleted.
 */
export interface BounceSource {
  readonly kind: 'maildir' | 'mbox' | 'stdin' | 'imap';
  /** For people: "Maildir /var/mail/bounces", "IMAP mail.example.org/INBOX". */
  readonly description: string;
  messages(): AsyncIterable<MailboxMessage>;
  processed(message: MailboxMessage): Promise<void>;
  close(): Promise<void>;
}

/** Bigger than any bounce report, even one returning a whole newsletter with its images. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
