import type { Config, Contact } from '../config/types.js';
import { lastModified } from '../content/corrections.js';
import type { Release } from '../content/types.js';
import { dayText, localDateTime } from '../core/time.js';
import { breakableAddressHtml } from '../render/address-html.js';
import { translate } from './strings.js';
import { plainText } from './text.js';
import type { Link, View, ViewBase } from './views.js';

/**
 * What release pages and feeds show of the press office's workflow (corrections, contacts' cards), and
 * where the contacts page and the cards are (press-pages.ts plans them).
 */
export const CONTACTS_DIR = 'contacts/';

export const vcardPath = (lang: string, id: string) => `${lang}/${CONTACTS_DIR}${id}.vcf`;

export const pressContacts = (config: Config) => Object.values(config.contacts).filter((c) => c.press);

export { dayText } from '../core/time.js';

/** The corrections a release page and its feed entry show at the top of the body, oldest first. */
export function correctionsView(ctx: ViewBase, r: Release): View[] {
  return (r.corrections ?? []).map((c) => ({
    label: translate(ctx.strings, r.lang, 'correction.label', { date: dayText(c.localDate, r.lang) }),
    date: c.localDate,
    text: c.text,
  }));
}

/** JSON-LD of a corrected release: when it last changed, and each correction (schema.org CorrectionComment). */
export function correctionsJsonLd(config: Config, r: Release): View {
  if (!r.corrections?.length) return {};
  return {
    dateModified: localDateTime(lastModified(r), config.timeZone),
    correction: r.corrections.map((c) => ({
      '@type': 'CorrectionComment',
      datePublished: c.localDate,
      text: plainText(c.text),
    })),
  };
}

/** A contact as the contact partial shows it, on a release page or (with its topics) the contacts page. */
export function contactView(c: Contact, lang: string, link: Link, topics: string[] = []): View {
  return {
    name: c.name,
    role: c.role?.[lang],
    organization: c.organization?.[lang],
    email: c.email,
    emailHtml: breakableAddressHtml(c.email),
    phone: c.phone,
    ...(topics.length ? { topics } : {}),
    ...(c.id ? { vcard: link(vcardPath(lang, c.id)) } : {}),
  };
}
