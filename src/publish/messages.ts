import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import type { OutgoingMessage } from '../delivery/transport.js';
import { personalize } from '../email/personalize.js';
import type { MessageTemplate } from '../email/types.js';
import type { LedgerRecipient } from '../store/ledger-types.js';
import { unsubscribeUrl } from '../subscribers/tokens.js';
import { verpAddress } from '../bounces/verp.js';

/** A recipient, with the Message-ID the ledger assigned them when there is one. */
export type BuildMessage = (
  recipient: LedgerRecipient & { messageId?: string | null },
  now: Date,
) => OutgoingMessage | { error: string };

/**
 * Each recipient's message from the once-rendered template: their address, name and signed unsubscribe
 * link spliced in. An address that cannot safely go into a header gives an error for that recipient
 * only. Test messages carry the test subject and an unsubscribe link that acts on nobody. With a bounce
 * mailbox configured, a dispatch's messages (`dispatchId`) have a VERP envelope sender.
 */
export function messageBuilder(
  config: Config,
  template: MessageTemplate,
  secret: string,
  options: { test?: boolean; dispatchId?: number } = {},
): BuildMessage {
  const bounceBox = config.newsletter.bounce.address;
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
      // A dispatch's messages carry a VERP envelope sender, so each bounce names its delivery.
      const from =
        bounceBox && options.dispatchId !== undefined
          ? verpAddress(bounceBox, secret, {
              dispatchId: options.dispatchId,
              subscriberId: recipient.subscriberId,
            })
          : (bounceBox ?? m.envelopeFrom);
      return { from, to: recipient.email, raw: m.raw, messageId: m.messageId };
    } catch (e) {
      if (e instanceof ScsError) return { error: e.diagnostics.map((d) => d.message).join(' ') };
      throw e;
    }
  };
}
