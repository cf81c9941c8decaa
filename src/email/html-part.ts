import mjml2html from 'mjml';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { breakableAddressHtml } from '../render/address-html.js';
import { parseMarkdown } from '../render/markdown.js';
import { emailBodyHtml } from './body-html.js';
import type { EmailContent } from './content.js';
import { fill } from './strings.js';
import type { EmailTemplates } from './templates.js';
import { plainInline } from './text.js';
import type { Slot } from './types.js';

/** The data the MJML templates see (documented at the top of newsletter.mjml.hbs). */
export function htmlView(content: EmailContent, markers: Record<Slot, string>, year: number) {
  const s = content.strings;
  const org = content.organization;
  const leadTokens = parseMarkdown(content.lead).find((t) => t.type === 'inline');
  return {
    lang: content.lang,
    title: content.title,
    subject: content.subject,
    preheader: leadTokens ? plainInline(leadTokens.children ?? []) : '',
    organization: org,
    typeLabel: content.typeLabel,
    date: content.date,
    year,
    hero: content.hero
      ? {
          ...content.hero,
          ...(content.hero.credit ? { credit: fill(s.photoCredit, { credit: content.hero.credit }) } : {}),
        }
      : undefined,
    leadHtml: content.lead ? emailBodyHtml(content.lead, content) : '',
    bodyHtml: emailBodyHtml(content.body, content),
    contacts: content.contacts.map((c) => ({ ...c, emailHtml: breakableAddressHtml(c.email) })),
    boilerplate: content.boilerplate
      ? {
          heading: content.boilerplate.heading,
          html: emailBodyHtml(content.boilerplate.markdown, content),
        }
      : undefined,
    webUrl: content.webUrl,
    bannerHtml: content.banner ? emailBodyHtml(content.banner, content) : '',
    embargoed: !!content.embargoed,
    list: { id: content.list.id, name: content.listName },
    footer: {
      reason: fill(s.reason, { list: content.listName }),
      sentBy: fill(s.sentBy, { organization: org.name }),
      sentTo: fill(s.sentTo, { recipient: markers.recipient }),
      unsubscribeUrl: markers.unsubscribe,
    },
    strings: s,
  };
}

interface MjmlIssue {
  line?: number;
  message: string;
  tagName?: string;
}

/** Template → MJML → HTML, strictly validated. MJML problems become diagnostics, not exceptions. */
export async function renderHtmlPart(
  templates: EmailTemplates,
  view: ReturnType<typeof htmlView>,
  release: Release,
): Promise<{ html?: string; diagnostics: Diagnostic[] }> {
  // Problems in MJML come from templates (release content sits in <mj-text> as HTML), so point at
  // the project's own template when there is one.
  const where = {
    file: templates.overridden[0] ?? release.file,
    overridden: templates.overridden.join(', '),
  };
  let source: string;
  try {
    source = templates.render(view);
  } catch (e) {
    return {
      diagnostics: [
        report('email-template-invalid', { detail: (e as Error).message, failed: true, ...where }),
      ],
    };
  }
  try {
    const result = await mjml2html(source, {
      validationLevel: 'strict',
      keepComments: false,
      fonts: {},
      ignoreIncludes: true,
    });
    return { html: result.html, diagnostics: [] };
  } catch (e) {
    const issues = ((e as { errors?: MjmlIssue[] }).errors ?? [
      { message: (e as Error).message },
    ]) as MjmlIssue[];
    const lines = source.split('\n');
    return {
      diagnostics: issues.map((issue) => {
        const detail = [
          issue.tagName ? `<${issue.tagName}>` : '',
          issue.line
            ? `line ${issue.line} of the generated MJML: "${lines[issue.line - 1]?.trim().slice(0, 100)}"`
            : '',
        ].filter(Boolean);
        return report('email-mjml-invalid', {
          detail: `${issue.message}${detail.length ? ` (${detail.join(', ')})` : ''}`,
          ...where,
        });
      }),
    };
  }
}
