import { emailImages } from '../assets/email.js';
import { readReleaseBody } from '../content/body.js';
import type { Config, NewsletterList } from '../config/types.js';
import { findLinks, linkIndex } from '../content/links.js';
import { loadReleases } from '../content/load.js';
import { releaseUrl } from '../content/permalink.js';
import type { Release } from '../content/types.js';
import { fill, type EmailStrings } from './strings.js';
import { absoluteLinkUrl, assetUrl, isHttpUrl, localImageFile, urlScheme } from './urls.js';

export interface EmailContact {
  name: string;
  role?: string;
  organization?: string;
  email: string;
  phone?: { display: string; e164: string };
}

/**
 * What an email says, localised and with every URL absolute: the single source for the HTML part,
 * the text part and the headers.
 */
export interface EmailContent {
  lang: string;
  strings: EmailStrings;
  organization: { name: string; url?: string; logoUrl?: string };
  typeLabel: string;
  /** `YYYY-MM-DD` in the configured time zone. */
  date: string;
  title: string;
  subject: string;
  /** Inline Markdown. */
  lead: string;
  /** Markdown. */
  body: string;
  /** `srcset`: the 600 and 1200 px copies of a local hero (assets/email.ts), by width. */
  hero?: { url: string; alt: string; credit?: string; srcset?: string };
  contacts: EmailContact[];
  boilerplate?: { heading: string; markdown: string };
  /** The archive page: the "read on the web" link, and the base for relative links. */
  webUrl: string;
  list: NewsletterList;
  listName: string;
  /** A press mail's banner at the top (inline Markdown): an embargo, a correction, a notice. */
  banner?: string;
  /** Under embargo: the page is not out yet, so the mail does not link to it. */
  embargoed?: boolean;
  resolveUrl: (url: string, kind: 'link' | 'image') => string;
  /** Images (by URL as written) the pipeline could not use: shown as their alt text, as on the site. */
  leaveOut?: (src: string) => boolean;
}

export async function emailContent(
  config: Config,
  release: Release,
  list: NewsletterList,
  strings: EmailStrings,
  /**
   * Where a local image is shown: by default the site's 600 px copy of a raster image (assets/email.ts)
   * or else the file as the site publishes it; previews show the file itself.
   */
  shownAt?: (file: string) => string,
): Promise<EmailContent> {
  const lang = release.lang;
  const webUrl = releaseUrl(config, release);
  const org = config.organization;
  const body = readReleaseBody(release);
  // Links to other releases need them all: read (mostly from the cache) only when there are any.
  const linking = [release.lead, body, release.boilerplate?.markdown ?? ''].some(
    (t) => findLinks(t, 1).length,
  );
  const index = linkIndex(config.root, linking ? (await loadReleases(config)).releases : []);
  const releases = () => index;
  const heroFile = release.image?.url
    ? undefined
    : release.image && (release.image.file ?? localImageFile(config, release.path, release.image.src));
  const { copies, unusable } = await emailImages(config, [
    ...(heroFile ? [heroFile] : []),
    ...release.bodyImages.map((b) => b.file),
  ]);
  // A preview shows the files themselves, but leaves out what the published email leaves out.
  if (shownAt) copies.clear();
  const imageUrl = shownAt ?? ((file: string) => copies.get(file)?.url ?? assetUrl(config, file));
  const local = (url: string) => !urlScheme(url) && !url.startsWith('//');
  const resolveUrl = (url: string, kind: 'link' | 'image') => {
    if (!local(url)) return url;
    if (kind === 'image') return imageUrl(localImageFile(config, release.path, url));
    return absoluteLinkUrl(config, release, url, releases);
  };
  const content: EmailContent = {
    lang,
    strings,
    organization: {
      name: org.names[lang] ?? org.name,
      ...(org.url ? { url: org.url } : {}),
      // The site does not publish a local logo, so only a URL can appear in an email (checks.ts warns).
      ...(org.logo && isHttpUrl(org.logo) ? { logoUrl: org.logo } : {}),
    },
    typeLabel: strings.type[release.type],
    date: release.localDate,
    title: release.title,
    subject: config.newsletter.subjectPrefix + release.title,
    lead: release.lead,
    body,
    contacts: release.contacts.map((c) => ({
      name: c.name,
      ...(c.role?.[lang] ? { role: c.role[lang] } : {}),
      ...(c.organization?.[lang] ? { organization: c.organization[lang] } : {}),
      email: c.email,
      ...(c.phone ? { phone: c.phone } : {}),
    })),
    webUrl,
    list,
    listName: list.name[lang] ?? Object.values(list.name)[0]!,
    resolveUrl,
    ...(unusable.size
      ? { leaveOut: (src: string) => local(src) && unusable.has(localImageFile(config, release.path, src)) }
      : {}),
  };
  // A hero the pipeline could not use is left out, as on the release page.
  if (release.image && !(heroFile && unusable.has(heroFile))) {
    const srcset = heroFile && copies.get(heroFile)?.srcset;
    content.hero = {
      url: release.image.url ?? imageUrl(heroFile!),
      alt: release.image.alt,
      ...(release.image.credit ? { credit: release.image.credit } : {}),
      ...(srcset ? { srcset } : {}),
    };
  }
  if (release.boilerplate) {
    content.boilerplate = {
      heading: fill(strings.aboutHeading, { organization: content.organization.name }),
      markdown: release.boilerplate.markdown,
    };
  }
  return content;
}
