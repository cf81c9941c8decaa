import { parseMarkdown } from '../render/markdown.js';
import type { EmailContent } from './content.js';
import { fill } from './strings.js';
import { LinkRefs, markdownText, TEXT_WIDTH, wrap } from './text.js';
import type { Slot } from './types.js';

/**
 * The text/plain part, written from the same content as the HTML: organisation, type and date,
 * title, lead, body, contacts, boilerplate, the web link, the link references, and a footer with
 * the reason for the email and the unsubscribe URL (slot markers stand for the recipient's values).
 */
export function renderTextPart(content: EmailContent, markers: Record<Slot, string>): string {
  const s = content.strings;
  const refs = new LinkRefs();
  const options = { refs, resolveUrl: content.resolveUrl, imageLabel: s.image };
  const md = (markdown: string) => markdownText(parseMarkdown(markdown, content.leaveOut), options);
  const blocks: string[][] = [];

  if (content.banner) blocks.push(md(content.banner));
  blocks.push([content.organization.name, `${content.typeLabel} | ${content.date}`]);
  const title = wrap(content.title, TEXT_WIDTH);
  blocks.push([...title, '='.repeat(Math.max(...title.map((l) => l.length)))]);
  if (content.lead) blocks.push(md(content.lead));
  const hero = content.hero;
  if (hero) {
    const credit = hero.credit ? ` (${fill(s.photoCredit, { credit: hero.credit })})` : '';
    blocks.push(wrap(`[${s.image}: ${hero.alt}]${credit}`, TEXT_WIDTH));
  }
  if (content.body.trim()) blocks.push(md(content.body));

  if (content.contacts.length) {
    const lines = [s.contactsHeading];
    content.contacts.forEach((c, i) => {
      if (i) lines.push('');
      lines.push([c.name, c.role, c.organization].filter(Boolean).join(', '));
      lines.push([c.email, c.phone ? `${s.phone} ${c.phone.display}` : ''].filter(Boolean).join(', '));
    });
    blocks.push(lines);
  }
  if (content.boilerplate) {
    blocks.push([
      content.boilerplate.heading,
      '-'.repeat(content.boilerplate.heading.length),
      ...md(content.boilerplate.markdown),
    ]);
  }
  if (!content.embargoed) blocks.push([`${s.readOnWeb}: ${content.webUrl}`]);
  if (refs.urls.length) blocks.push([`${s.links}:`, ...refs.urls.map((u, i) => `[${i + 1}] ${u}`)]);

  const org = content.organization;
  blocks.push([
    '-- ',
    ...wrap(fill(s.reason, { list: content.listName }), TEXT_WIDTH),
    fill(s.sentBy, { organization: org.name }) + (org.url ? `, ${org.url}` : ''),
    fill(s.sentTo, { recipient: markers.recipient }),
    fill(s.unsubscribeText, { url: markers.unsubscribe }),
  ]);
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
