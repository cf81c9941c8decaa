import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { build, fixtureProject, read } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function output(config?: (yaml: string) => string) {
  const p = fixtureProject();
  cleanups.push(p.cleanup);
  if (config) {
    const file = path.join(p.dir, 'scs.config.yml');
    writeFileSync(file, config(readFileSync(file, 'utf8')));
  }
  const result = await build(p.dir);
  expect(result.ok).toBe(true);
  return path.join(p.dir, 'public');
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'category', 'url', 'xhtml:link'].includes(name),
});
function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

const FERRY = 'https://press.sjobris.example/sv/2026/03/02/elfarjan-borjar-ga-i-maj/';

describe('feeds', () => {
  it('carry the site.feedSize newest releases', async () => {
    const out = await output((yaml) => yaml.replace(/^site:\n/m, 'site:\n  feedSize: 2\n'));
    const titles = (xml: string) => (parse(xml).rss.channel.item as { title: string }[]).map((i) => i.title);
    expect(titles(read(out, 'sv/feed.xml'))).toEqual([
      'Elfärjan börjar gå i maj',
      'Nya laddplatser på gästkajen & i småbåtshamnen',
    ]);
    expect(parse(read(out, 'sv/atom.xml')).feed.entry).toHaveLength(2);
  });

  it('RSS 2.0 per language: newest first, absolute links, full content, dates from the releases', async () => {
    const out = await output();
    const rss = parse(read(out, 'sv/feed.xml')).rss;
    expect(rss['@version']).toBe('2.0');
    const channel = rss.channel;
    expect(channel.title).toBe('Hamnverket Sjöbris – Press');
    expect(channel.link).toBe('https://press.sjobris.example/sv/');
    expect(channel.language).toBe('sv');
    expect(channel['atom:link']['@href']).toBe('https://press.sjobris.example/sv/feed.xml');
    expect(channel.item.map((i: { title: string }) => i.title)).toEqual([
      'Elfärjan börjar gå i maj',
      'Nya laddplatser på gästkajen & i småbåtshamnen',
      'Farleden muddras i vinter',
    ]);
    const ferry = channel.item[0];
    expect(ferry.link).toBe(FERRY);
    expect(ferry.guid['#text']).toBe(FERRY);
    expect(ferry.guid['@isPermaLink']).toBe('true');
    expect(new Date(ferry.pubDate).toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(channel.lastBuildDate).toBe(ferry.pubDate);
    expect(ferry.category).toEqual(['Trafik', 'Miljö']);
    const content: string = ferry['content:encoded'];
    expect(content).toContain('<h2>Tidtabellen</h2>');
    expect(content).toContain('src="https://press.sjobris.example/assets/images/farja-');
    expect(content).toContain('<a href="tel:+4631702044">031-70 20 44</a>');
    expect(content).toContain('Om Hamnverket Sjöbris');
    // No relative URL anywhere in the feed content.
    for (const m of content.matchAll(/(?:href|src)="([^"]*)"/g))
      expect(m[1]).toMatch(/^(?:https:\/\/|mailto:|tel:)/);
    expect(ferry.description).toMatch(/^Från den 4 maj trafikeras linjen/);
  });

  it('Atom per language and per type, with ids, updated dates and HTML content', async () => {
    const out = await output();
    const feed = parse(read(out, 'sv/archive/news/atom.xml')).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xml:lang']).toBe('sv');
    expect(feed.title).toBe('Hamnverket Sjöbris – Press – Nyheter');
    expect(feed.id).toBe('https://press.sjobris.example/sv/archive/news/atom.xml');
    expect(feed.entry.map((e: { title: string }) => e.title)).toEqual([
      'Nya laddplatser på gästkajen & i småbåtshamnen',
      'Farleden muddras i vinter',
    ]);
    expect(feed.updated).toBe('2026-02-09T23:00:00Z');
    const first = feed.entry[0];
    expect(first.id).toBe(
      'https://press.sjobris.example/sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/',
    );
    expect(first.link['@href']).toBe(first.id);
    expect(first.content['@type']).toBe('html');
    expect(first.content['#text']).toContain('<blockquote>');
    expect(first.content['#text']).toContain('src="https://press.sjobris.example/assets/images/kaj-');
    expect(feed.author.name).toBe('Hamnverket Sjöbris');
  });

  it('has feeds per type and per topic that list only their releases', async () => {
    const out = await output();
    const releases = parse(read(out, 'en/archive/press-releases/feed.xml')).rss.channel;
    expect(releases.item.map((i: { title: string }) => i.title)).toEqual([
      'The electric ferry starts in May',
    ]);
    const topic = parse(read(out, 'sv/topics/trafik/atom.xml')).feed;
    expect(topic.entry.map((e: { title: string }) => e.title)).toEqual([
      'Elfärjan börjar gå i maj',
      'Farleden muddras i vinter',
    ]);
    expect(topic.title).toBe('Hamnverket Sjöbris – Press – Trafik');
  });

  it('writes a sitemap with hreflang alternates and a robots.txt that points at it', async () => {
    const out = await output();
    const urls = parse(read(out, 'sitemap.xml')).urlset.url as {
      loc: string;
      lastmod?: string;
      'xhtml:link'?: { '@hreflang': string; '@href': string }[];
    }[];
    const ferry = urls.find((u) => u.loc === FERRY)!;
    expect(ferry.lastmod).toBe('2026-03-02');
    expect(ferry['xhtml:link']!.map((l) => [l['@hreflang'], l['@href']])).toEqual([
      ['sv', FERRY],
      ['en', 'https://press.sjobris.example/en/2026/03/02/the-electric-ferry-starts-in-may/'],
      ['x-default', FERRY],
    ]);
    for (const u of urls) expect(u.loc).toMatch(/^https:\/\/press\.sjobris\.example\//);
    expect(urls.some((u) => u.loc.includes('hamnfesten'))).toBe(false);
    expect(read(out, 'robots.txt')).toBe(
      'User-agent: *\nAllow: /\n\nSitemap: https://press.sjobris.example/sitemap.xml\n',
    );
  });
});
