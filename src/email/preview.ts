import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { ScsError } from '../core/diagnostic.js';
import { escapeHtml } from '../core/text.js';
import { renderSampleEmail, type SampleEmail } from './sample.js';
import { chooseList } from './select.js';
import { fill, loadEmailStrings } from './strings.js';
import { siteImagePath } from './urls.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Decodes RFC 2047 encoded-words so the preview shows headers as a reader sees them. */
function decodeWords(value: string): string {
  return value.replace(
    /=\?UTF-8\?([QB])\?([^?]*)\?=(?:\s+(?==\?UTF-8\?))?/gi,
    (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
  );
}

/** The header fields of a raw message, unfolded and decoded. */
function headerFields(raw: Buffer): [string, string][] {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
  return head
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), decodeWords(line.slice(colon + 1).trim())] as [string, string];
    });
}

const STYLE = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;background:#f5f7fa}
header,section{padding:16px 24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.note{color:#52606d;margin:0}
.frames{display:flex;gap:24px;align-items:flex-start;overflow-x:auto}
figure{margin:0}figcaption{font-weight:600;margin:0 0 6px}
iframe{border:1px solid #c5ced8;background:#fff;height:1400px;display:block}
pre{white-space:pre-wrap;background:#fff;border:1px solid #c5ced8;padding:16px;max-width:80ch;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #d9e2ec;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
td{word-break:break-all}
.problem{color:#ab091e}`;

/**
 * A full HTML page for `scs preview`: the email as the sample recipient gets it at phone (375 px)
 * and desktop (800 px) widths, the text part, and the headers; or the problems that stop it.
 * `now` (default: the release's publication time) is only used for the Date header.
 */
export async function renderEmailPreview(
  config: Config,
  release: Release,
  options: { listId?: string; now?: Date } = {},
): Promise<string> {
  const s = loadEmailStrings(config, release.lang).strings.preview;
  let sample: SampleEmail;
  try {
    const list = chooseList(config, release, options.listId);
    // The site is not deployed yet: images come from the preview's own build of it.
    sample = await renderSampleEmail(config, release, list.id, options.now ?? release.publishAt, (file) =>
      siteImagePath(config, file),
    );
  } catch (e) {
    if (!(e instanceof ScsError)) throw e;
    sample = { diagnostics: e.diagnostics };
  }
  const page = (title: string, body: string) =>
    `<!doctype html>\n<html lang="${escapeHtml(release.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
  const title = fill(s.title, { subject: config.newsletter.subjectPrefix + release.title });
  if (!sample.message || sample.html === undefined || sample.text === undefined) {
    const items = sample.diagnostics
      .map(
        (d) =>
          `<li class="${d.severity === 'error' ? 'problem' : ''}">${escapeHtml(`${d.file ?? ''}${d.line ? `:${d.line}` : ''} ${d.message}`)}${d.hint ? `<br><span class="note">${escapeHtml(d.hint)}</span>` : ''} <code>[${escapeHtml(d.code)}]</code></li>`,
      )
      .join('');
    return page(
      title,
      `<header><h1>${escapeHtml(title)}</h1></header><section><p>${escapeHtml(s.problems)}</p><ul>${items}</ul></section>`,
    );
  }
  const frame = (width: number, label: string) =>
    `<figure><figcaption>${escapeHtml(label)}</figcaption><iframe title="${escapeHtml(label)}" width="${width}" style="width:${width}px" onload="this.style.height=this.contentDocument.documentElement.scrollHeight+'px'" srcdoc="${escapeHtml(sample.previewHtml ?? sample.html!)}"></iframe></figure>`;
  const headers = headerFields(sample.message.raw)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const sizes = fill(s.size, {
    html: kb(Buffer.byteLength(sample.html)),
    text: kb(Buffer.byteLength(sample.text)),
    message: kb(sample.message.raw.length),
  });
  const warnings = sample.diagnostics
    .map(
      (d) =>
        `<li>${escapeHtml(`${d.message}${d.hint ? ` ${d.hint}` : ''}`)} <code>[${escapeHtml(d.code)}]</code></li>`,
    )
    .join('');
  return page(
    title,
    `<header><h1>${escapeHtml(title)}</h1><p class="note">${escapeHtml(sizes)}. ${escapeHtml(s.sample)}</p>${warnings ? `<ul>${warnings}</ul>` : ''}</header>` +
      `<section class="frames">${frame(375, s.phone)}${frame(800, s.desktop)}</section>` +
      `<section><h2>${escapeHtml(s.text)}</h2><pre>${escapeHtml(sample.text)}</pre></section>` +
      `<section><h2>${escapeHtml(s.headers)}</h2><table>${headers}</table></section>`,
  );
}
