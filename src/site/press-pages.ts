import { releaseOutputPath } from '../content/permalink.js';
import type { Release } from '../content/types.js';
import type { Redirect } from './permalinks.js';
import type { Contact } from '../config/types.js';
import type { Link, View, ViewBase, ViewContext } from './views.js';
import { breadcrumbs, chrome, topicLabel } from './views.js';
import { translate } from './strings.js';
import { vCard } from './vcard.js';
import { CONTACTS_DIR, contactView, dayText, pressContacts, vcardPath } from './press-views.js';

/**
 * The press office's pages (issue 16): a withdrawn release's notice, a redirect from each old address
 * of a moved release (and `_redirects` for hosts that read it), the press contacts page and a vCard per
 * contact (what release pages show of them: press-views.ts).
 *
 *   <lang>/YYYY/MM/DD/<slug>/     a withdrawn release: its notice, at its own address
 *   <lang>/YYYY/MM/DD/<old>/      an old address of a moved release: a redirect
 *   _redirects                    the same redirects, as Netlify and Cloudflare Pages read them
 *   <lang>/contacts/              the press contacts (config contacts with `press: true`)
 *   <lang>/contacts/<id>.vcf      a contact's card: every press contact, and every config contact a
 *                                 release in this build names (their details are on its page already)
 */
const t = (ctx: ViewBase, lang: string, key: string, values?: Record<string, unknown>) =>
  translate(ctx.strings, lang, key, values);

/** What a withdrawn release's notice shows of it. */
type Withdrawn = Pick<Release, 'type' | 'lang' | 'localDate' | 'slug' | 'withdrawn'>;

/** The notice at a withdrawn release's address: what it was, when, and why; not its title or text. */
function withdrawnPage(ctx: ViewBase, r: Withdrawn, link: Link): View {
  const heading = t(ctx, r.lang, `withdrawn.title.${r.type}`);
  const w = r.withdrawn ?? {};
  return {
    ...chrome(ctx, r.lang, link, {
      title: `${heading} – ${ctx.config.site.name[r.lang]}`,
      self: releaseOutputPath(r),
    }),
    heading,
    noindex: true,
    breadcrumbs: breadcrumbs(ctx, r.lang, link, [{ label: heading }]),
    withdrawn: {
      type: r.type,
      typeLabel: t(ctx, r.lang, `type.${r.type}`),
      published: t(ctx, r.lang, 'withdrawn.published', { date: dayText(r.localDate, r.lang) }),
      ...(w.localDate
        ? { date: t(ctx, r.lang, 'withdrawn.date', { date: dayText(w.localDate, r.lang) }) }
        : {}),
      ...(w.reason ? { reason: w.reason } : {}),
    },
  };
}

/** An old address: canonical and a refresh to the release's address, and a link for those without. */
function redirectPage(ctx: ViewBase, { lang, to }: { lang: string; to: string }, link: Link): View {
  const heading = t(ctx, lang, 'moved.title');
  return {
    ...chrome(ctx, lang, link, { title: `${heading} – ${ctx.config.site.name[lang]}`, self: to }),
    heading,
    noindex: true,
    refresh: link(to),
    target: ctx.links.absolute(to),
  };
}

function contactsPage(
  ctx: ViewBase,
  { lang, contacts }: { lang: string; contacts: Contact[] },
  link: Link,
): View {
  const heading = t(ctx, lang, 'contactsPage.title');
  const { config } = ctx;
  return {
    ...chrome(ctx, lang, link, {
      title: `${heading} – ${config.site.name[lang]}`,
      self: `${lang}/${CONTACTS_DIR}`,
      counterparts: Object.fromEntries(config.languages.map((l) => [l, `${l}/${CONTACTS_DIR}`])),
      alternates: true,
    }),
    heading,
    breadcrumbs: breadcrumbs(ctx, lang, link, [{ label: heading }]),
    contacts: contacts.map((c) =>
      contactView(
        c,
        lang,
        link,
        (c.topics ?? []).map((topic) => topicLabel(config, lang, topic)),
      ),
    ),
  };
}

/** A page planned as (template, path, data), with the function that makes its view from that data. */
export interface PressPage<D = never> {
  kind: string;
  path: string;
  data: D;
  view: (ctx: ViewBase, data: D, link: Link) => View;
}

/**
 * Plans the press pages (pure): each as its data, which plan.ts keys them by. A redirect never replaces a
 * page of this build (a draft at an old address, in a preview): the release page wins.
 */
export function planPressPages(ctx: ViewContext): {
  // biome-ignore lint/suspicious/noExplicitAny: each page's data has its own type, checked where it is made
  pages: PressPage<any>[];
  /** Text files: `_redirects` and vCards. */
  texts: { path: string; text: string }[];
  /** Output paths the sitemap lists. */
  sitemap: string[];
} {
  const { config, model } = ctx;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const pages: PressPage<any>[] = [];
  const page = <D>(p: PressPage<D>) => pages.push(p);
  const texts: { path: string; text: string }[] = [];
  const sitemap: string[] = [];

  for (const r of model.withdrawn) {
    const { type, lang, localDate, slug, withdrawn } = r;
    const data: Withdrawn = { type, lang, localDate, slug, ...(withdrawn ? { withdrawn } : {}) };
    page({ kind: 'withdrawn', path: `${releaseOutputPath(r)}index.html`, data, view: withdrawnPage });
  }

  const shown = new Set(
    [...model.languages.flatMap((l) => l.releases), ...model.withdrawn].map(releaseOutputPath),
  );
  const redirects = model.redirects.filter((d) => !shown.has(d.from));
  for (const d of redirects) {
    const data = { lang: d.release.lang, to: releaseOutputPath(d.release) };
    page({ kind: 'redirect', path: `${d.from}index.html`, data, view: redirectPage });
  }
  if (redirects.length) texts.push({ path: '_redirects', text: redirectsFile(ctx, redirects) });

  const press = pressContacts(config);
  for (const lang of config.languages) {
    if (press.length) {
      const data = { lang, contacts: press };
      page({ kind: 'contacts', path: `${lang}/${CONTACTS_DIR}index.html`, data, view: contactsPage });
      sitemap.push(`${lang}/${CONTACTS_DIR}`);
    }
    const named = (model.languages.find((l) => l.lang === lang)?.releases ?? []).flatMap((r) => r.contacts);
    const cards = new Map([...press, ...named].filter((c) => c.id).map((c) => [c.id!, c]));
    for (const [id, c] of [...cards].sort(([a], [b]) => (a < b ? -1 : 1)))
      texts.push({
        path: vcardPath(lang, id),
        text: vCard({
          name: c.name,
          ...(c.role?.[lang] ? { role: c.role[lang] } : {}),
          ...(c.organization?.[lang] ? { organization: c.organization[lang] } : {}),
          email: c.email,
          ...(c.phone ? { phone: c.phone.e164 } : {}),
          topics: (c.topics ?? []).map((topic) => topicLabel(config, lang, topic)),
        }),
      });
  }
  return { pages, texts, sitemap };
}

/** `_redirects` (Netlify, Cloudflare Pages): one permanent redirect per old address, sorted. */
function redirectsFile(ctx: ViewBase, redirects: readonly Redirect[]): string {
  const at = (outPath: string) => ctx.links.href(null, outPath);
  return redirects
    .map((d) => `${at(d.from)} ${at(releaseOutputPath(d.release))} 301\n`)
    .sort()
    .join('');
}
