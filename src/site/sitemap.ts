import { escapeXml } from './text.js';

export interface SitemapUrl {
  loc: string;
  /** YYYY-MM-DD */
  lastmod?: string;
  /** hreflang alternates (including the URL itself), per sitemaps.org / Google's hreflang extension. */
  alternates?: { hreflang: string; href: string }[];
}

/** A sitemap holds at most this many URLs; beyond it scs writes several and an index. */
export const SITEMAP_LIMIT = 50000;

function urlset(urls: SitemapUrl[]): string {
  const x = escapeXml;
  const body = urls
    .map(
      (u) =>
        `<url><loc>${x(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}${(
          u.alternates ?? []
        )
          .map((a) => `<xhtml:link rel="alternate" hreflang="${x(a.hreflang)}" href="${x(a.href)}"/>`)
          .join('')}</url>\n`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${body}</urlset>
`;
}

/**
 * `sitemap.xml` (an index of `sitemap-N.xml` files when there are more URLs than one may hold). The
 * texts are made on demand: a build whose sitemap is unchanged never makes them.
 */
export function sitemapFiles(
  count: number,
  urls: () => SitemapUrl[],
  baseUrl: string,
): { path: string; text: () => string }[] {
  let made: SitemapUrl[] | undefined;
  const all = () => {
    made ??= urls();
    return made;
  };
  if (count <= SITEMAP_LIMIT) return [{ path: 'sitemap.xml', text: () => urlset(all()) }];
  const parts: { path: string; text: () => string }[] = [];
  for (let i = 0; i < count; i += SITEMAP_LIMIT) {
    parts.push({
      path: `sitemap-${parts.length + 1}.xml`,
      text: () => urlset(all().slice(i, i + SITEMAP_LIMIT)),
    });
  }
  const index = () => `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${parts.map((p) => `<sitemap><loc>${escapeXml(new URL(p.path, baseUrl).href)}</loc></sitemap>\n`).join('')}</sitemapindex>
`;
  return [{ path: 'sitemap.xml', text: index }, ...parts];
}

export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('sitemap.xml', baseUrl).href}\n`;
}
