import type { PageJob } from './renderer.js';
import { escapeXml } from './text.js';

export interface FeedEntry {
  url: string;
  title: string;
  date: Date;
  /** When it last changed (a correction), if after its date. */
  updated?: Date;
  summary: string;
  /** The full content as HTML, already escaped for XML (it is shared by several feeds). */
  contentXml: string;
  categories: string[];
}

/** An entry as planned: all but its content, which is rendered (`content`) or found by `key` when written. */
export interface PlannedFeedEntry extends Omit<FeedEntry, 'contentXml'> {
  key: string;
  content: () => PageJob;
}

/** A feed as planned (site/plan.ts); `feedXml` makes it when it is written. */
export interface FeedPlan {
  format: 'rss' | 'atom';
  info: FeedInfo;
  entries: PlannedFeedEntry[];
}

/** A planned feed's XML, given each entry's content (escaped for XML). */
export function feedXml(plan: FeedPlan, contentXml: (entry: PlannedFeedEntry) => string): string {
  const entries = plan.entries.map((planned) => {
    const { key: _key, content: _content, ...entry } = planned;
    return { ...entry, contentXml: contentXml(planned) };
  });
  return plan.format === 'rss' ? rssFeed(plan.info, entries) : atomFeed(plan.info, entries);
}

export interface FeedInfo {
  title: string;
  description: string;
  lang: string;
  /** The HTML page the feed mirrors. */
  home: string;
  /** The feed's own URL. */
  self: string;
  author: { name: string; url?: string };
}

/** RFC 3339 without milliseconds: what Atom readers expect. */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * RSS 2.0 with the full content in content:encoded. Dates come from the entries, never the clock.
 * Readers take an item's description for HTML, so the plain-text summary is escaped as HTML, then as
 * XML: text such as "&lt;img …&gt;" in a lead must not become markup there.
 */
export function rssFeed(info: FeedInfo, entries: FeedEntry[]): string {
  const x = escapeXml;
  const items = entries.map(
    (e) => `<item>
<title>${x(e.title)}</title>
<link>${x(e.url)}</link>
<guid isPermaLink="true">${x(e.url)}</guid>
<pubDate>${e.date.toUTCString()}</pubDate>
<description>${x(x(e.summary))}</description>
<content:encoded>${e.contentXml}</content:encoded>
${e.categories.map((c) => `<category>${x(c)}</category>\n`).join('')}</item>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>${x(info.title)}</title>
<link>${x(info.home)}</link>
<description>${x(info.description)}</description>
<language>${x(info.lang)}</language>
<atom:link href="${x(info.self)}" rel="self" type="application/rss+xml"/>
${entries[0] ? `<lastBuildDate>${entries[0].date.toUTCString()}</lastBuildDate>\n` : ''}<generator>scs</generator>
${items.join('')}</channel>
</rss>
`;
}

/** Atom 1.0 with the full content as HTML. */
export function atomFeed(info: FeedInfo, entries: FeedEntry[]): string {
  const x = escapeXml;
  const changed = (e: FeedEntry) => e.updated ?? e.date;
  const latest = entries.map(changed).reduce<Date | undefined>((a, d) => (a && a >= d ? a : d), undefined);
  const updated = latest ? rfc3339(latest) : '1970-01-01T00:00:00Z';
  const items = entries.map(
    (e) => `<entry>
<id>${x(e.url)}</id>
<title>${x(e.title)}</title>
<link rel="alternate" type="text/html" href="${x(e.url)}"/>
<published>${rfc3339(e.date)}</published>
<updated>${rfc3339(changed(e))}</updated>
<summary>${x(e.summary)}</summary>
<content type="html">${e.contentXml}</content>
${e.categories.map((c) => `<category term="${x(c)}"/>\n`).join('')}</entry>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(info.lang)}">
<id>${x(info.self)}</id>
<title>${x(info.title)}</title>
<subtitle>${x(info.description)}</subtitle>
<updated>${updated}</updated>
<link rel="alternate" type="text/html" href="${x(info.home)}"/>
<link rel="self" type="application/atom+xml" href="${x(info.self)}"/>
<author><name>${x(info.author.name)}</name>${info.author.url ? `<uri>${x(info.author.url)}</uri>` : ''}</author>
<generator>scs</generator>
${items.join('')}</feed>
`;
}
