import { randomBytes } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import { checkNewsletterContent, checkSize } from './checks.js';
import { compileMessage } from './compile.js';
import { emailContent } from './content.js';
import { loadDkimSigner } from './dkim.js';
import { htmlView, renderHtmlPart } from './html-part.js';
import { Locator } from '../content/locate.js';
import { unknownList, wrongLanguage } from './select.js';
import { type PressMail, pressContent } from './press.js';
import { loadEmailStrings } from './strings.js';
import { loadEmailTemplates } from './templates.js';
import { renderTextPart } from './text-part.js';
import type { MessageTemplate, Slot } from './types.js';

/** Sizes are checked as if the recipient's values were this long (a signed-token URL, a name and address). */
const TYPICAL_SLOT_LENGTH: Record<Slot, number> = { unsubscribe: 180, recipient: 80 };

/** Marker strings for the recipient's values: unique per render, so release text can never collide with them. */
function slotMarkers(): Record<Slot, string> {
  const nonce = randomBytes(6).toString('hex');
  return { unsubscribe: `scs-${nonce}-unsubscribe`, recipient: `scs-${nonce}-recipient` };
}

function sizeWithTypicalValues(text: string, markers: Record<Slot, string>): number {
  let size = Buffer.byteLength(text);
  for (const slot of Object.keys(markers) as Slot[]) {
    const count = text.split(markers[slot]).length - 1;
    size += count * (TYPICAL_SLOT_LENGTH[slot] - markers[slot].length);
  }
  return size;
}

/**
 * Renders a release as the newsletter of one list (or, with `press`, as a briefing, a correction or a
 * notice: email/press.ts): MJML runs here, once; `personalize` then makes each recipient's message.
 * Returns no template when any diagnostic is an error.
 */
export async function renderNewsletter(
  config: Config,
  release: Release,
  options: { listId: string; now?: Date; imageUrl?: (file: string) => string; press?: PressMail },
): Promise<{ template?: MessageTemplate; diagnostics: Diagnostic[] }> {
  const list = config.newsletter.lists[options.listId];
  if (!list) return { diagnostics: [unknownList(config, options.listId)] };
  if (list.lang !== release.lang) {
    return {
      diagnostics: [wrongLanguage(list, release, false)],
    };
  }
  const strings = loadEmailStrings(config, release.lang);
  const templates = loadEmailTemplates(config);
  const dkim = loadDkimSigner(config);
  const newsletter = await emailContent(config, release, list, strings.strings, options.imageUrl);
  const content = options.press ? pressContent(newsletter, options.press, config.timeZone) : newsletter;
  const at = new Locator(config.root);
  const diagnostics = [
    ...strings.diagnostics,
    ...templates.diagnostics,
    ...dkim.diagnostics,
    ...checkNewsletterContent(config, release, content, at),
  ];
  if (hasErrors(diagnostics) || !templates.templates) return { diagnostics };

  const markers = slotMarkers();
  const year = Number((options.now ?? release.date).toISOString().slice(0, 4));
  const rendered = await renderHtmlPart(templates.templates, htmlView(content, markers, year), release);
  diagnostics.push(...rendered.diagnostics);
  if (!rendered.html) return { diagnostics };
  const html = rendered.html;
  const text = renderTextPart(content, markers);
  const htmlBytes = sizeWithTypicalValues(html, markers);
  diagnostics.push(...checkSize(release, htmlBytes));
  if (hasErrors(diagnostics)) return { diagnostics };

  const { from, replyTo, unsubscribeMailto } = config.newsletter;
  const domain = from.email.slice(from.email.lastIndexOf('@') + 1);
  const listIdentifier = `${list.id}.${domain}`;
  const template: MessageTemplate = {
    releaseId: release.id,
    lang: release.lang,
    listId: list.id,
    subject: content.subject,
    html,
    text,
    markers,
    htmlBytes,
    textBytes: sizeWithTypicalValues(text, markers),
    from,
    ...(replyTo ? { replyTo } : {}),
    listIdentifier,
    listName: content.listName,
    domain,
    ...(unsubscribeMailto ? { unsubscribeMailto } : {}),
    webUrl: content.webUrl,
    compiled: compileMessage({
      from,
      ...(replyTo ? { replyTo } : {}),
      subject: content.subject,
      lang: release.lang,
      listName: content.listName,
      listIdentifier,
      html,
      text,
      markers,
    }),
    ...(dkim.signer ? { dkim: dkim.signer } : {}),
  };
  return { template, diagnostics };
}
