import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { checkReleases } from '../../src/content/load.js';
import { emailContent } from '../../src/email/content.js';
import { htmlView, renderHtmlPart } from '../../src/email/html-part.js';
import { loadEmailStrings } from '../../src/email/strings.js';
import { loadEmailTemplates } from '../../src/email/templates.js';
import { launchChromium } from '../helpers/browser.js';
import { PAYLOADS } from '../helpers/payloads.js';
import { runScs, tempDir } from '../helpers/scs.js';
import { FIXTURES, serveStatic } from './helpers.js';

/**
 * Every payload of the table, in each place a release can carry text, through the real binary: the
 * pages, the feeds and the newsletter must carry none of them, and Chromium must run none.
 */
const PLACES = ['body', 'lead', 'boilerplate', 'contact'] as const;
type Place = (typeof PLACES)[number];

/** Each payload in each place calls alert() with its own number, so a dialog says which got through. */
const number = (place: Place, i: number) => (PLACES.indexOf(place) + 1) * 100 + i;
const payloads = (place: Place) => PAYLOADS.map((p, i) => p.html(`alert(${number(place, i)})`));
const named = (n: number) => `${PAYLOADS[n % 100]?.name} (${PLACES[Math.floor(n / 100) - 1]})`;

const DAY: Record<Place, string> = { body: '10', lead: '11', boilerplate: '12', contact: '13' };
const pagePath = (place: Place) => `sv/2026/03/${DAY[place]}/${place}/`;

function releaseFile(place: Place): string {
  const fm = [`title: Skadligt i ${place}`, `date: 2026-03-${DAY[place]}`, 'lang: sv', `slug: ${place}`];
  let body = 'Brödtext.';
  if (place === 'body') body = payloads(place).join('\n\n');
  if (place === 'lead') fm.push(`lead: ${JSON.stringify(payloads(place).join(' '))}`);
  else fm.push('lead: Ingress.');
  if (place === 'boilerplate') fm.push(`boilerplate: ${JSON.stringify(payloads(place).join('\n\n'))}`);
  if (place === 'contact') {
    fm.push('contacts:');
    payloads(place).forEach((p, i) => {
      // A contact's fields are single lines (check insists).
      const line = JSON.stringify(p.replaceAll('\n', ' '));
      fm.push(`  - name: ${line}`, `    role: ${line}`, `    organization: ${line}`);
      fm.push(`    email: p${i}@sjobris.example`);
    });
  }
  return `---\n${fm.join('\n')}\n---\n\n${body}\n`;
}

/**
 * What of a document could run script, as Chromium parses it (DOMParser: nothing runs): unsafe
 * elements inside `scope`, and anywhere event handlers, srcdoc and javascript:/vbscript:/data: URLs.
 */
function unsafeIn(page: Page, html: string, type: 'text/html' | 'application/xml', scope: string) {
  return page.evaluate(
    ({ html, type, scope }) => {
      const doc = new DOMParser().parseFromString(html, type);
      // A feed: what readers take for HTML (RSS descriptions and content, Atom's type="html") parsed in turn.
      const docs =
        type === 'text/html'
          ? [doc]
          : [...doc.getElementsByTagName('*')]
              .filter(
                (e) =>
                  /^(?:encoded|description)$/.test(e.localName) ||
                  (/^(?:content|summary|title)$/.test(e.localName) && e.getAttribute('type') === 'html'),
              )
              .map((e) => new DOMParser().parseFromString(e.textContent ?? '', 'text/html'));
      const found: string[] = [];
      for (const d of docs) {
        for (const el of d.querySelectorAll('*')) {
          const tag = el.localName;
          if (
            el.closest(scope) &&
            /^(?:script|iframe|frame|object|embed|base|meta|link|style|form|input|button|textarea|svg|math|video|audio|source|details|noscript|template)$/.test(
              tag,
            )
          )
            found.push(`<${tag}>`);
          for (const a of el.attributes) {
            // (The page's own "no favicon" link is the one data: URL.)
            if (a.value === 'data:,') continue;
            const bare = a.value.replace(/[\u0000-\u0020]+/g, '');
            if (/^on/i.test(a.name) || /^(?:srcdoc|formaction)$/i.test(a.name))
              found.push(`${tag} ${a.name}=${a.value}`);
            else if (/^(?:javascript|vbscript|data):/i.test(bare) || /url=(?:javascript|data):/i.test(bare))
              found.push(`${tag} ${a.name}=${a.value}`);
          }
        }
      }
      return found;
    },
    { html, type, scope },
  );
}

let project: { dir: string; cleanup: () => void };
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
const emails = new Map<string, string>();

beforeAll(async () => {
  project = tempDir('scs-payloads-');
  const dir = project.dir;
  cpSync(path.join(FIXTURES, 'xss', 'input', 'scs.config.yml'), path.join(dir, 'scs.config.yml'));
  mkdirSync(path.join(dir, 'releases'));
  for (const place of PLACES) writeFileSync(path.join(dir, 'releases', `${place}.sv.md`), releaseFile(place));

  const check = runScs(['check', '--format', 'json'], { cwd: dir });
  expect(check.code, check.stdout + check.stderr).toBe(0);
  const build = runScs(['build', '--now', '2026-04-01T12:00', '--no-search'], { cwd: dir });
  expect(build.code, build.stdout + build.stderr).toBe(0);

  // The newsletter through the binary: the contacts' release passes the email checks.
  const out = path.join(dir, 'email');
  const email = runScs(['email', 'sv/contact', '--out', out, '--now', '2026-04-01T12:00'], { cwd: dir });
  expect(email.code, email.stdout + email.stderr).toBe(0);
  for (const f of readdirSync(out).filter((f) => f.endsWith('.html')))
    emails.set(`scs email sv/contact (${f})`, readFileSync(path.join(out, f), 'utf8'));
  // The others fail the email checks (javascript: URLs in raw HTML); their HTML part must be safe
  // all the same, as the sanitiser alone makes it.
  const config = loadConfig({ root: dir, env: {} });
  const { releases } = await checkReleases(config, { cache: false });
  const list = config.newsletter.lists.nyheter!;
  const templates = loadEmailTemplates(config).templates!;
  for (const release of releases) {
    const content = await emailContent(config, release, list, loadEmailStrings(config, 'sv').strings);
    const markers = { unsubscribe: 'https://press.sjobris.example/u', recipient: 'eva@example.org' };
    const part = await renderHtmlPart(templates, htmlView(content, markers, 2026), release);
    expect(part.diagnostics).toEqual([]);
    emails.set(`the HTML part of ${release.id}`, part.html!);
  }

  site = await serveStatic(path.join(dir, 'public'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  project?.cleanup();
});

describe('hostile input in every place a release carries text', () => {
  it('scs check warns about the raw HTML it will remove', () => {
    const check = runScs(['check', '--format', 'json'], { cwd: project.dir });
    const removed = (JSON.parse(check.stdout) as { code: string; file: string }[]).filter(
      (d) => d.code === 'html-removed',
    );
    // (The lead is one paragraph of HTML, and so one warning; the body and boilerplate have one a payload.)
    const count = (place: Place) => removed.filter((d) => d.file === `releases/${place}.sv.md`).length;
    expect([count('body'), count('lead'), count('boilerplate'), count('contact')]).toEqual([
      expect.toSatisfy((n: number) => n > 30),
      expect.toSatisfy((n: number) => n > 0),
      expect.toSatisfy((n: number) => n > 30),
      0,
    ]);
  });

  it('reaches no page, feed or email HTML', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const found: string[] = [];
    const outputs: (readonly [string, string, 'text/html' | 'application/xml', string])[] = [
      ...PLACES.map((p) => [p, read(`${pagePath(p)}index.html`), 'text/html', 'article'] as const),
      ...['sv/feed.xml', 'sv/atom.xml'].map((f) => [f, read(f), 'application/xml', 'body'] as const),
      ...[...emails].map(([name, html]) => [name, html, 'text/html', 'body'] as const),
    ];
    for (const [name, html, type, scope] of outputs)
      for (const u of await unsafeIn(page, html, type, scope)) found.push(`${name}: ${u}`);
    await page.close();
    expect(outputs.length).toBe(PLACES.length + 2 + 1 + PLACES.length);
    expect(found).toEqual([]);
  });

  it('runs nothing in Chromium: release pages and newsletters', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const ran: string[] = [];
    page.on('dialog', (d) => {
      ran.push(named(Number(d.message())));
      void d.dismiss();
    });
    const provoke = () =>
      // Whatever handlers are left get their event: errors, pointers, focus, toggles.
      page.evaluate(() => {
        for (const el of document.querySelectorAll('body *')) {
          for (const type of ['error', 'load', 'mouseover', 'focus', 'toggle', 'begin'])
            el.dispatchEvent(new Event(type));
        }
      });
    for (const place of PLACES) {
      await page.goto(site.url + pagePath(place), { waitUntil: 'load' });
      expect(await page.locator('h1').textContent()).toBe(`Skadligt i ${place}`);
      await provoke();
    }
    for (const html of emails.values()) {
      await page.setContent(html, { waitUntil: 'load' });
      await provoke();
    }
    await context.close();
    expect(ran).toEqual([]);
  });
});

function read(rel: string): string {
  return readFileSync(path.join(project.dir, 'public', rel), 'utf8');
}
