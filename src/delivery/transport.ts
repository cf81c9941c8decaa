/**
 * How a finished message leaves scs. The send pipeline only knows this interface;
 * the file outbox and SMTP are its two implementations.
 */
export interface OutgoingMessage {
  /** Envelope sender (the bounce address). */
  from: string;
  /** Exactly one recipient. */
  to: string;
  /** The complete RFC 5322 message, CRLF line endings. */
  raw: Buffer;
  /** The Message-ID header's value, with angle brackets. */
  messageId: string;
}

/**
 * Whom a failure is about, which decides what happens next: `recipient` (the address is refused: a
 * bounce), `message` (this message is refused), `sender` (the server refuses us: wrong credentials,
 * sender address or TLS settings, so every other message would fail too), `connection` (no answer,
 * a dropped connection, a timeout).
 */
export type FailureScope = 'recipient' | 'message' | 'sender' | 'connection';

export type SendResult =
  | { ok: true; response: string }
  | {
      ok: false;
      /** 5xx: retrying will not help. */
      permanent: boolean;
      response: string;
      /** SMTP reply code when there was one. */
      code?: number;
      scope: FailureScope;
    };

export interface Transport {
  readonly kind: 'smtp' | 'outbox';
  /** For people: "file outbox .scs/outbox/ (no SMTP configured)" or "SMTP smtp://mail.example.se:587". */
  readonly description: string;
  /**
   * Whether handing over the same message again can never make a second copy (the outbox: the same
   * Message-ID rewrites the same file). Such a transport leaves nothing in doubt when a run dies, so
   * the send loop may claim a larger batch at a time than it has messages in flight.
   */
  readonly idempotent: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}
