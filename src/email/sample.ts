import type { Config } from '../config/types.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import type { Release } from '../content/types.js';
import { escapeHtml } from './mime.js';
import { personalize } from './personalize.js';
import { renderNewsletter } from './render.js';
import { loadEmailStrings } from './strings.js';
import type { EmailRecipient, MessageTemplate, PersonalizedMessage } from './types.js';

/** The token in a sample unsubscribe URL: obviously not one the server would accept. */
export const SAMPLE_TOKEN = 'SAMPLE-TOKEN-NOT-VALID';

/** A made-up recipient for inspecting an email (`scs email`, `scs preview`). */
export function sampleRecipient(config: Config, lang: string): EmailRecipient {
  return {
    email: 'sample.recipient@example.com',
    name: loadEmailStrings(config, lang).strings.preview.sampleName,
    unsubscribeUrl: new URL(`unsubscribe?token=${SAMPLE_TOKEN}`, config.newsletter.endpoint).href,
  };
}

export interface SampleEmail {
  template?: MessageTemplate;
  message?: PersonalizedMessage;
  /** The HTML and text parts as the sample recipient gets them. */
  html?: string;
  text?: string;
  diagnostics: Diagnostic[];
}

/** Renders a release for a list and personalises it for the sample recipient. */
export async function renderSampleEmail(
  config: Config,
  release: Release,
  listId: string,
  now: Date,
): Promise<SampleEmail> {
  const { template, diagnostics } = await renderNewsletter(config, release, { listId, now });
  if (!template || hasErrors(diagnostics)) return { diagnostics };
  const recipient = sampleRecipient(config, release.lang);
  const message = personalize(template, recipient, { now });
  return { template, message, ...fillSlots(template, recipient), diagnostics };
}

/** The parts with the recipient's values in place, as a mail client shows them after decoding. */
export function fillSlots(
  template: MessageTemplate,
  recipient: EmailRecipient,
): { html: string; text: string } {
  const label = recipient.name ? `${recipient.name} <${recipient.email}>` : recipient.email;
  const { unsubscribe, recipient: who } = template.markers;
  return {
    html: template.html
      .replaceAll(unsubscribe, escapeHtml(recipient.unsubscribeUrl))
      .replaceAll(who, escapeHtml(label)),
    text: template.text.replaceAll(unsubscribe, recipient.unsubscribeUrl).replaceAll(who, label),
  };
}
