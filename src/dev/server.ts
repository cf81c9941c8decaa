import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { releaseOutputPath } from '../content/permalink.js';
import type { Release } from '../content/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { type SiteStrings, translate } from '../site/strings.js';
import { escapeHtml as esc } from '../core/text.js';

/** What the preview server shows: the latest build, and what it was built from. */
export interface PreviewState {
  config: Config;
  outDir: string;
  /** Visible releases by the folder of their page (`sv/2026/10/14/slug/`). */
  pages: Map<string, Release>;
  /** Visible releases by id (`sv/slug`). */
  releases: Map<string, Release>;
  strings: SiteStrings;
  /** Errors of the last build when it failed (the pages are those of the last good build). */
  failure?: Diagnostic[];
}

export type EmailPreview = (
  config: Config,
  release: Release,
  options: { listId?: string },
) => Promise<string>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.wasm': 'application/wasm',
};

const EVENTS_PATH = '/_scs/events';
const EMAIL_PATH = '/_scs/email/';

/** Reloads the page when the preview has rebuilt. Only ever in the preview, never in the output. */
const LIVE_RELOAD = `<script>(function(){var s=new EventSource(${JSON.stringify(EVENTS_PATH)});s.addEventListener('reload',function(){location.reload()});addEventListener('pagehide',function(){s.close()})})();</script>`;

const BAR_STYLE =
  'position:sticky;bottom:0;z-index:1000;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.6rem 1rem;background:#1c2430;color:#fff;font:15px/1.4 system-ui,sans-serif';

function diagnosticLines(diagnostics: Diagnostic[]): string {
  return diagnostics
    .map(
      (d) =>
        `${d.file ? `${d.file}${d.line ? `:${d.line}` : ''} ` : ''}${d.severity} ${d.message} [${d.code}]${d.hint ? `\n  hint: ${d.hint}` : ''}`,
    )
    .join('\n');
}

/** The preview-only parts of a page: the failed-build notice, the release toolbar and live reload. */
function previewParts(state: PreviewState, lang: string, release?: Release): string {
  const t = (key: string, values?: Record<string, unknown>) => translate(state.strings, lang, key, values);
  let html = '';
  if (state.failure) {
    html += `<div role="alert" style="${BAR_STYLE};background:#8a1c1c;position:static"><strong>${esc(t('preview.failed'))}</strong><pre style="margin:0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace">${esc(diagnosticLines(state.failure))}</pre></div>`;
  }
  if (release) {
    const lists = Object.values(state.config.newsletter.lists).filter((l) => l.lang === release.lang);
    const base = `${EMAIL_PATH}${release.lang}/${release.slug}/`;
    const links = lists.length
      ? lists.map(
          (l) =>
            `<a style="color:#fff" href="${esc(`${base}?list=${encodeURIComponent(l.id)}`)}">${esc(t('preview.emailList', { list: l.name[lang] ?? l.id }))}</a>`,
        )
      : [`<a style="color:#fff" href="${esc(base)}">${esc(t('preview.email'))}</a>`];
    html += `<aside aria-label="${esc(t('preview.label'))}" style="${BAR_STYLE}"><strong>${esc(t('preview.label'))}</strong>${links.join('')}<span>${esc(t('preview.source', { file: release.file }))}</span></aside>`;
  }
  return html + LIVE_RELOAD;
}

function inject(page: string, extra: string): string {
  const at = page.lastIndexOf('</body>');
  return at < 0 ? page + extra : page.slice(0, at) + extra + page.slice(at);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function messagePage(
  state: PreviewState,
  lang: string,
  status: number,
  title: string,
  text: string,
  back?: string,
): string {
  const backLink = back
    ? `<p><a href="${esc(back)}">${esc(translate(state.strings, lang, 'preview.back'))}</a></p>`
    : '';
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem"><h1>${status} ${esc(title)}</h1><p>${esc(text)}</p>${backLink}${previewParts(state, lang)}</body></html>`;
}

/**
 * The preview's HTTP server: the built archive from disk (pages get live reload and, for releases, a
 * toolbar), Server-Sent Events that tell pages to reload, and the newsletter preview of a release.
 */
export function createPreviewServer(
  getState: () => PreviewState,
  emailPreview: EmailPreview,
): { server: Server; reload(): void } {
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `Internal error: ${e.message}`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Drafts and embargoed releases are for this machine: a page on another site whose name a DNS
    // rebinding attack points at 127.0.0.1 arrives with that site's name as Host, and is turned away.
    if (!localHosts(req.socket.localPort).has(req.headers.host?.toLowerCase() ?? '')) {
      send(res, 421, 'text/plain; charset=utf-8', 'The preview answers only to localhost.\n');
      return;
    }
    const state = getState();
    const lang = state.config.defaultLanguage;
    const url = new URL(req.url ?? '/', 'http://preview.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    if (url.pathname === EVENTS_PATH) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname.startsWith(EMAIL_PATH)) {
      await emailPage(state, url, res);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    const basePath = new URL(state.config.site.baseUrl).pathname;
    if (!pathname.startsWith(basePath)) {
      if (pathname === '/') send(res, 302, 'text/plain; charset=utf-8', '', { location: basePath });
      else notFound(state, res);
      return;
    }
    const rel = pathname.slice(basePath.length);
    let file = path.join(state.outDir, rel);
    if (file !== state.outDir && !file.startsWith(state.outDir + path.sep)) {
      notFound(state, res);
      return;
    }
    let st = statSafe(file);
    if (st?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        // To the folder's own path, never the request's: "//evil.example/…" is another site to a browser.
        const folder = path.relative(state.outDir, file).split(path.sep).map(encodeURIComponent).join('/');
        const location = `${basePath}${folder ? `${folder}/` : ''}${url.search}`;
        send(res, 301, 'text/plain; charset=utf-8', '', { location });
        return;
      }
      file = path.join(file, 'index.html');
      st = statSafe(file);
    }
    if (!st?.isFile()) {
      notFound(state, res);
      return;
    }
    const ext = path.extname(file).toLowerCase();
    const type = TYPES[ext] ?? 'application/octet-stream';
    if (ext !== '.html') {
      send(res, 200, type, req.method === 'HEAD' ? '' : readFileSync(file));
      return;
    }
    const folder = path.relative(state.outDir, path.dirname(file)).split(path.sep).join('/');
    const release = state.pages.get(`${folder}/`);
    const pageLang = folder.split('/', 1)[0] || lang;
    const html = inject(
      readFileSync(file, 'utf8'),
      previewParts(state, state.config.languages.includes(pageLang) ? pageLang : lang, release),
    );
    send(res, 200, type, req.method === 'HEAD' ? '' : html);
  }

  function notFound(state: PreviewState, res: ServerResponse) {
    const page = statSafe(path.join(state.outDir, '404.html'))?.isFile()
      ? inject(
          readFileSync(path.join(state.outDir, '404.html'), 'utf8'),
          previewParts(state, state.config.defaultLanguage),
        )
      : messagePage(
          state,
          state.config.defaultLanguage,
          404,
          'Not found',
          'Nothing is built at this address.',
        );
    send(res, 404, TYPES['.html']!, page);
  }

  async function emailPage(state: PreviewState, url: URL, res: ServerResponse) {
    const [lang = '', slug = ''] = url.pathname.slice(EMAIL_PATH.length).split('/');
    const release = state.releases.get(`${lang}/${slug}`);
    const shownLang = state.config.languages.includes(lang) ? lang : state.config.defaultLanguage;
    if (!release) {
      send(
        res,
        404,
        TYPES['.html']!,
        messagePage(
          state,
          shownLang,
          404,
          'Not found',
          `No release ${lang}/${slug} is shown in the preview.`,
        ),
      );
      return;
    }
    const listId = url.searchParams.get('list') ?? undefined;
    const back = new URL(state.config.site.baseUrl).pathname + releaseOutputPath(release);
    try {
      const html = await emailPreview(state.config, release, listId ? { listId } : {});
      send(res, 200, TYPES['.html']!, inject(html, previewParts(state, release.lang)));
    } catch (e) {
      const text = translate(state.strings, release.lang, 'preview.emailFailed', {
        message: (e as Error).message,
      });
      send(
        res,
        500,
        TYPES['.html']!,
        messagePage(
          state,
          release.lang,
          500,
          translate(state.strings, release.lang, 'preview.email'),
          text,
          back,
        ),
      );
    }
  }

  return {
    server,
    reload() {
      for (const res of clients) res.write('event: reload\ndata: 1\n\n');
    },
  };
}

/** The Host headers a browser on this machine sends for the preview's port. */
function localHosts(port: number | undefined): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]'].map((h) => `${h}:${port}`));
}

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
