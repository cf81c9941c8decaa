import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { type BuildOptions, buildSite } from '../../src/site/build.js';
import { MARKER } from '../../src/site/output.js';
import { stateFiles } from '../../src/site/state.js';
import { REPO, tempDir } from '../helpers/scs.js';

export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'site');
/** The clock of the fixture site: after the ferry releases, before the embargo and the summer release. */
export const NOW = new Date('2026-04-01T10:00:00Z');

/** A temporary copy of a fixture project (`test/fixtures/site/<name>/input`). */
export function fixtureProject(name = 'basic'): { dir: string; cleanup: () => void } {
  const t = tempDir('scs-site-');
  cpSync(path.join(FIXTURES, name, 'input'), t.dir, { recursive: true });
  return t;
}

/**
 * For a test file: fixture projects and temporary folders made on demand, each removed after the test
 * that made it.
 */
export function throwaway(): { project: (name?: string) => string; folder: (prefix?: string) => string } {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const keep = (t: { dir: string; cleanup: () => void }) => {
    cleanups.push(t.cleanup);
    return t.dir;
  };
  return { project: (name) => keep(fixtureProject(name)), folder: (prefix) => keep(tempDir(prefix)) };
}

export function projectConfig(dir: string, overrides: { outDir?: string; baseUrl?: string } = {}): Config {
  return loadConfig({ root: dir, env: {}, overrides });
}

/** Builds a project with the library, without search unless asked (fast, no Pagefind binary). */
export function build(
  dir: string,
  options: Partial<BuildOptions> = {},
  overrides: { outDir?: string; baseUrl?: string } = {},
) {
  return buildSite(projectConfig(dir, overrides), { now: NOW, search: false, ...options });
}

/** The spare (`prev`) or in-progress (`next`) output folder of a project's default output. */
export function workFolder(dir: string, kind: 'prev' | 'next'): string {
  const config = projectConfig(dir);
  const files = stateFiles(config, config.site.outDir);
  return path.join(files.dir, `${files.id}.${kind}`);
}

/**
 * Every file below `dir`, as sorted relative paths with forward slashes; but not the output's marker,
 * which names the project (so differs between two copies of it) and is tested on its own.
 */
export function listTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (!rel && e.name === MARKER) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTree(dir, r));
    else out.push(r);
  }
  return out.sort();
}

export const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

/**
 * Every `src`, `srcset` candidate and `href` on every HTML page of a project's built site that points
 * into the site (relative, from the root, or under its base URL) but names no file in its output folder,
 * as "page → address". The subscription endpoint is `scs serve`'s, not a file.
 */
export function danglingReferences(dir: string): string[] {
  const out = projectConfig(dir).site.outDir;
  return listTree(out)
    .filter((f) => f.endsWith('.html'))
    .flatMap((page) =>
      unpublishedReferences(dir, readFileSync(path.join(out, page), 'utf8'), page).map(
        (ref) => `${page} → ${ref}`,
      ),
    );
}

/**
 * The `src`, `srcset` candidates and `href`s of `html` (a page at `page` in the site, or an email, whose
 * addresses are absolute) that point into the project's site but name no file in its output folder.
 */
export function unpublishedReferences(dir: string, html: string, page = ''): string[] {
  const config = projectConfig(dir);
  const out = config.site.outDir;
  const base = new URL(config.site.baseUrl);
  const served = config.newsletter.endpoint;
  const here = new URL(page, base);
  const refs = [...html.matchAll(/\s(src|srcset|href)="([^"]*)"/g)].flatMap(([, attr, value]) =>
    attr === 'srcset' ? value!.split(',').map((c) => c.trim().split(/\s+/)[0]!) : [value!],
  );
  return refs.filter((ref) => {
    const url = new URL(ref.replaceAll('&amp;', '&'), here);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return false;
    if (url.href.startsWith(served)) return false;
    let file = decodeURIComponent(url.pathname.slice(base.pathname.length));
    if (file === '' || file.endsWith('/')) file += 'index.html';
    try {
      const st = statSync(path.join(out, file));
      return !(st.isFile() || statSync(path.join(out, file, 'index.html')).isFile());
    } catch {
      return true;
    }
  });
}
export const inode = (dir: string, rel: string) => statSync(path.join(dir, rel)).ino;

/** Each file of an output folder with its inode: a file written again gets a new one. */
export function inodes(out: string): Map<string, number> {
  return new Map(listTree(out).map((f) => [f, inode(out, f)]));
}

/** Files whose inode changed (rewritten), appeared or disappeared between two snapshots. */
export function changed(before: Map<string, number>, after: Map<string, number>) {
  return {
    written: [...after]
      .filter(([f, ino]) => before.has(f) && before.get(f) !== ino)
      .map(([f]) => f)
      .sort(),
    added: [...after.keys()].filter((f) => !before.has(f)).sort(),
    removed: [...before.keys()].filter((f) => !after.has(f)).sort(),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.wasm': 'application/wasm',
};

/** A tiny static file server on 127.0.0.1 for the browser tests (like any web host would serve public/). */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(path.join(root, '404.html')));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
