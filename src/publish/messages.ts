import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import type { OutgoingMessage } from '../delivery/transport.js';
import { personalize } from '../email/personalize.js';
import type { MessageTemplate } from '../email/types.js';
import type { LedgerRecipient } from '../store/ledger-types.js';
import { unsubscribeUrl } from '../subscribers/tokens.js';

/** A recipient, with the Message-ID the ledger assigned them when there is one. */
export type BuildMessage = (
  recipient: LedgerRecipient & { messageId?: string | null },
  now: Date,
) => OutgoingMessage | { error: string };

/**
 * Each recipient's message from the once-rendered template: their address, name and signed unsubscribe
 * link spliced in. An address that cannot safely go into a header gives an error for that recipient
 * only. Test messages carry the test subject and an unsubscribe link that acts on nobody.
 */
export function messageBuilder(
  config: Config,
  template: MessageTemplate,
  secret: string,
  options: { test?: boolean } = {},
): BuildMessage {
  return (recipient, now) => {
    const url = options.test
      ? `${config.newsletter.endpoint}unsubscribe?test=1`
      : unsubscribeUrl(config, secret, recipient.subscriberId, template.listId);
    try {
      const m = personalize(
        template,
        { email: recipient.email, name: recipient.name, unsubscribeUrl: url },
        {
          now,
          messageId: recipient.messageId,
          ...(options.test ? { test: true } : {}),
        },
      );
      return { from: m.envelopeFrom, to: recipient.email, raw: m.raw, messageId: m.messageId };
    } catch (e) {
      if (e instanceof ScsError) return { error: e.diagnostics.map((d) => d.message).join(' ') };
      throw e;
    }
  };
}
