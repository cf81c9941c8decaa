import type { Config } from '../config/types.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import type { Release } from '../content/types.js';
import { escapeHtml } from '../core/text.js';
import { personalize } from './personalize.js';
import { renderNewsletter } from './render.js';
import { loadEmailStrings } from './strings.js';
import type { EmailRecipient, MessageTemplate, PersonalizedMessage } from './types.js';

/** The token in a sample unsubscribe URL: obviously not one the server would accept. */
const SAMPLE_TOKEN = 'SAMPLE-TOKEN-NOT-VALID';

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
  /** The HTML part with local images shown from `previewImageUrl` (the site is not deployed yet). */
  previewHtml?: string;
  diagnostics: Diagnostic[];
}

/**
 * Renders a release for a list and personalises it for the sample recipient. With `previewImageUrl`,
 * renders it again for `previewHtml`, its local images at the URLs that gives; the message keeps the
 * published ones.
 */
export async function renderSampleEmail(
  config: Config,
  release: Release,
  listId: string,
  now: Date,
  previewImageUrl?: (file: string) => string,
): Promise<SampleEmail> {
  const { template, diagnostics } = await renderNewsletter(config, release, { listId, now });
  if (!template || hasErrors(diagnostics)) return { diagnostics };
  const recipient = sampleRecipient(config, release.lang);
  const message = personalize(template, recipient, { now });
  const sample: SampleEmail = { template, message, ...fillSlots(template, recipient), diagnostics };
  if (previewImageUrl) {
    const preview = await renderNewsletter(config, release, { listId, now, imageUrl: previewImageUrl });
    if (preview.template) sample.previewHtml = fillSlots(preview.template, recipient).html;
  }
  return sample;
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
