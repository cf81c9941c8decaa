import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import { createServer, type SubscriptionServer } from '../../src/subscription/server.js';
import { subscriberProject } from '../subscribers/project.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The sign-up form and the confirmation page as people meet them: in Chromium, checked by axe, used. */
describe('the sign-up form in Chromium', () => {
  let browser: Browser;
  let server: SubscriptionServer;
  let base: string;
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  beforeAll(async () => {
    browser = await launchChromium();
    p = await subscriberProject();
    server = createServer(p.config, p.store, createTransport(p.config));
    base = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}`;
  });
  afterAll(async () => {
    // Only what beforeAll made before it stopped (as for a missing browser).
    await browser?.close();
    if (server) await shutdown(server);
    p?.cleanup();
  });

  const open = async (url: string): Promise<Page> => {
    const page = await browser.newPage();
    // Nothing but the server under test may be reached.
    await page.route('**/*', (route) =>
      route.request().url().startsWith(base) ? route.continue() : route.abort(),
    );
    await page.goto(url);
    return page;
  };
  const violations = async (page: Page) => {
    // Evaluated over the DevTools protocol: the page's own CSP (rightly) refuses injected scripts.
    await page.evaluate(AXE);
    return page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; help: string }[] }> };
        }
      ).axe;
      return (await axe.run()).violations.map((v) => `${v.id}: ${v.help}`);
    });
  };

  for (const lang of ['sv', 'en']) {
    it(`has no accessibility violations (${lang}), also when it shows an error`, async () => {
      const page = await open(`${base}/newsletter/subscribe?lang=${lang}`);
      expect(await violations(page)).toEqual([]);
      await page.fill('#email', 'inte-en-adress@');
      await page.evaluate(() => document.querySelector('form')!.setAttribute('novalidate', ''));
      await page.click('button[type=submit]');
      await page.waitForSelector('#form-error');
      expect(await violations(page)).toEqual([]);
      await page.close();
    });
  }

  it('subscribes from a real browser submission (relative form action, checkboxes), and confirms with the button on the confirmation page', async () => {
    const page = await open(`${base}/newsletter/subscribe?lang=en`);
    await page.fill('#email', 'browser.user@example.com');
    await page.fill('#name', 'Björn Webb');
    await page.check('input[value=nyheter]');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1');
    expect(page.url()).toBe(`${base}/newsletter/subscribe`);
    expect(await page.textContent('h1')).toBe('Check your inbox');
    const s = (await p.store.subscribers.find('browser.user@example.com'))!;
    expect([s.name, s.lang, s.status, s.subscriptions.map((m) => [m.listId, m.status])]).toEqual([
      'Björn Webb',
      'en',
      'pending',
      [
        ['news', 'pending'],
        ['nyheter', 'pending'],
      ],
    ]);
    await page.close();

    // The link in the mail opens a page that asks; only its button confirms.
    await server.idle();
    const outbox = path.join(p.config.stateDir, 'outbox');
    const [file] = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    const mail = await simpleParser(readFileSync(path.join(outbox, file!)));
    const link = new URL(/https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0]);
    const confirmPage = await open(`${base}${link.pathname}${link.search}`);
    expect(await confirmPage.getAttribute('html', 'lang')).toBe('en');
    expect(await confirmPage.textContent('h1')).toBe('Confirm your subscription');
    expect(await violations(confirmPage)).toEqual([]);
    expect((await p.store.subscribers.find('browser.user@example.com'))!.status).toBe('pending');
    (await confirmPage.getByRole('button', { name: 'Yes, confirm the subscription' })).click();
    await confirmPage.waitForSelector('h1:text("Subscription confirmed")');
    expect(await violations(confirmPage)).toEqual([]);
    expect((await p.store.subscribers.find('browser.user@example.com'))!.status).toBe('confirmed');
    await confirmPage.close();
  });
});
