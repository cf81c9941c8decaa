import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEmailPreview } from '../../src/email/preview.js';
import type { BuildResult } from '../../src/site/build.js';
import type { Preview } from '../../src/dev/preview.js';
import type { EmailPreview } from '../../src/dev/server.js';
import { previewProject } from '../helpers/preview.js';
import { BIN, cleanEnv } from '../helpers/scs.js';
import { fixtureProject, NOW } from '../site/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FERRY = 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/';
const DRAFT = 'sv/2026/01/15/hamnfesten-flyttar-till-augusti/';

interface Started {
  dir: string;
  preview: Preview;
  /** Resolves with the next build's outcome. */
  nextBuild: () => Promise<{ ok: boolean; result?: BuildResult }>;
}

async function start(emailPreview: EmailPreview = renderEmailPreview, dir?: string): Promise<Started> {
  if (!dir) {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    dir = p.dir;
  }
  const waiting: ((e: { ok: boolean; result?: BuildResult }) => void)[] = [];
  const preview = await previewProject(dir, NOW, {
    emailPreview,
    debounceMs: 50,
    onBuild: (e) => waiting.shift()?.(e),
  });
  cleanups.push(() => preview.close());
  return { dir, preview, nextBuild: () => new Promise((resolve) => waiting.push(resolve)) };
}

async function get(
  url: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
}

/** A request exactly as written: the target unnormalised, any Host header. */
function raw(
  port: number,
  target: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: target, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('scs preview', () => {
  it('serves the archive with drafts marked, a toolbar and live reload that the built files do not have', async () => {
    const { dir, preview } = await start();
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const front = await get(preview.url);
    expect(front.status).toBe(200);
    expect(front.body).toContain('<meta http-equiv="refresh" content="0; url=sv/">');
    const draft = await get(preview.url + DRAFT);
    expect(draft.status).toBe(200);
    expect(draft.body).toContain('Förhandsvisning: utkast som inte publiceras.');
    expect(draft.body).toContain('new EventSource("/_scs/events")');
    expect(draft.body).toContain('href="/_scs/email/sv/hamnfesten-flyttar-till-augusti/?list=nyheter"');
    expect(draft.body).toContain('Källfil: releases/2026/2026-01-15-utkast-om-hamnfesten.sv.md');
    // The preview builds into .scs/preview/site and never touches public/.
    const built = readFileSync(path.join(dir, '.scs/preview/site', DRAFT, 'index.html'), 'utf8');
    expect(built).not.toContain('EventSource');
    expect(existsSync(path.join(dir, 'public'))).toBe(false);
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(draft.body)![1]!;
    const css = await fetch(new URL(href, preview.url + DRAFT));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('redirects folders to their slash form, answers 404 with the 404 page, and stays inside the output', async () => {
    const { preview } = await start();
    const folder = await get(preview.url + FERRY.slice(0, -1));
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe(`/${FERRY}`);
    const missing = await get(`${preview.url}sv/nothing-here/`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Sidan finns inte');
    const { port } = new URL(preview.url);
    const traversal = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/%2e%2e/%2e%2e/scs.config.yml' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(traversal).toBe(404);
  });

  it('answers only requests addressed to this machine (DNS rebinding), and never redirects off the site', async () => {
    const { preview } = await start();
    const port = Number(new URL(preview.url).port);
    for (const host of ['localhost', '127.0.0.1', '[::1]'])
      expect((await raw(port, `/${DRAFT}`, { host: `${host}:${port}` })).status).toBe(200);
    for (const host of [
      `evil.example:${port}`,
      'localhost',
      `127.0.0.1:${port + 1}`,
      `localhost.evil.example:${port}`,
    ]) {
      const res = await raw(port, `/${DRAFT}`, { host });
      expect([res.status, res.body.includes('hamnfesten')]).toEqual([421, false]);
    }
    for (const target of [
      '/.//evil.example/..%2Fsv',
      '//evil.example/%2E%2E/sv',
      '/./\\evil.example/..%2Fsv',
    ]) {
      const res = await raw(port, target, { host: `127.0.0.1:${port}` });
      expect(res.status).toBe(301);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, preview.url).origin).toBe(new URL(preview.url).origin);
    }
  });

  it('rebuilds when a release changes and tells open pages to reload', async () => {
    const { dir, preview, nextBuild } = await start();
    const events = await fetch(`${preview.url}_scs/events`);
    const reader = events.body!.getReader();
    const built = nextBuild();
    const file = path.join(dir, 'releases/2026/2026-03-02-elfarjan-borjar-ga-i-maj.sv.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Färjan tar 40 bilar', 'Färjan tar 44 bilar'));
    const outcome = await built;
    expect(outcome.ok).toBe(true);
    let received = '';
    while (!received.includes('event: reload'))
      received += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect((await get(preview.url + FERRY)).body).toContain('Färjan tar 44 bilar');
  });

  it('rebuilds when a template or the config changes', async () => {
    const { dir, preview, nextBuild } = await start();
    let built = nextBuild();
    mkdirSync(path.join(dir, 'templates/site/partials'), { recursive: true });
    writeFileSync(
      path.join(dir, 'templates/site/partials/site-footer.hbs'),
      '<footer><p>Förhandsvisad sidfot</p></footer>\n',
    );
    expect((await built).ok).toBe(true);
    expect((await get(preview.url + FERRY)).body).toContain('Förhandsvisad sidfot');
    built = nextBuild();
    const config = path.join(dir, 'scs.config.yml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('sv: Hamnverket Sjöbris – Press', 'sv: Ändrat namn'),
    );
    expect((await built).ok).toBe(true);
    expect((await get(`${preview.url}sv/`)).body).toContain('Ändrat namn');
  });

  it('shows the errors of a failed build over the last good pages', async () => {
    const { dir, preview, nextBuild } = await start();
    const built = nextBuild();
    writeFileSync(
      path.join(dir, 'releases/2026/trasig.md'),
      '---\ntitle: Trasig\ndate: 2026-02-30\n---\n\nText.\n',
    );
    expect((await built).ok).toBe(false);
    const page = await get(preview.url + FERRY);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Elfärjan börjar gå i maj');
    expect(page.body).toContain('role="alert"');
    expect(page.body).toContain(
      'releases/2026/trasig.md:3 error The date &quot;2026-02-30&quot; does not exist. [date-impossible]',
    );
  });

  it('shows the newsletter preview of a release, and a clear page when it cannot be made', async () => {
    const calls: { slug: string; listId?: string }[] = [];
    const { preview } = await start(async (_config, release, options) => {
      calls.push({ slug: release.slug, ...options });
      if (options.listId === 'broken') throw new Error('the template <b>broke</b>');
      return `<!doctype html><html><body><h1>Mejl: ${release.title}</h1></body></html>`;
    });
    const ok = await get(`${preview.url}_scs/email/sv/elfarjan-borjar-ga-i-maj/?list=nyheter`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<h1>Mejl: Elfärjan börjar gå i maj</h1>');
    expect(ok.body).toContain('EventSource');
    expect(calls).toEqual([{ slug: 'elfarjan-borjar-ga-i-maj', listId: 'nyheter' }]);
    const failed = await get(`${preview.url}_scs/email/sv/elfarjan-borjar-ga-i-maj/?list=broken`);
    expect(failed.status).toBe(500);
    expect(failed.body).toContain(
      'Förhandsvisningen av nyhetsbrevet kunde inte göras: the template &lt;b&gt;broke&lt;/b&gt;',
    );
    expect(failed.body).toContain(`href="/${FERRY}"`);
    const unknown = await get(`${preview.url}_scs/email/sv/no-such-release/`);
    expect(unknown.status).toBe(404);
  });

  it('renders the real newsletter preview of a release (or says why not)', async () => {
    const { preview } = await start();
    const page = await get(`${preview.url}_scs/email/en/the-electric-ferry-starts-in-may/?list=news`);
    expect([200, 500]).toContain(page.status);
    if (page.status === 200) expect(page.body).toContain('The electric ferry starts in May');
    else expect(page.body).toContain('The newsletter preview could not be made:');
  });

  it('runs as "scs preview" and stops on Ctrl+C', async () => {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    const child = spawn(
      process.execPath,
      [BIN, 'preview', '--port', '0', '--no-search', '--now', '2026-04-01T12:00'],
      { cwd: p.dir, env: cleanEnv() },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    while (!/Preview on (\S+)/.test(stdout)) await new Promise((r) => setTimeout(r, 50));
    const url = /Preview on (\S+)/.exec(stdout)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await get(url + FERRY)).body).toContain('Elfärjan börjar gå i maj');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
