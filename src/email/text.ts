import type { Token } from 'markdown-it';
import { urlScheme } from './urls.js';

/**
 * Markdown tokens → readable plain text for the text/plain part: wrapped paragraphs, underlined
 * headings, "> " quotes, "- " lists, and links as numbered references ("[1]") listed at the end.
 */
export const TEXT_WIDTH = 72;

/** Numbered link references shared by every block of one message, so numbers run through it. */
export class LinkRefs {
  readonly urls: string[] = [];
  private readonly index = new Map<string, number>();
  ref(url: string): number {
    let n = this.index.get(url);
    if (n === undefined) {
      this.urls.push(url);
      n = this.urls.length;
      this.index.set(url, n);
    }
    return n;
  }
}

export interface TextOptions {
  refs: LinkRefs;
  /** Rewrites link URLs (to absolute ones) before they are listed. */
  resolveUrl: (url: string, kind: 'link' | 'image') => string;
  /** "Bild" / "Image", for "[Bild: alt text]". */
  imageLabel: string;
}

/** Wraps words to `width`; a word longer than the width (a URL) gets a line of its own. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const hard of text.split('\n')) {
    let line = '';
    for (const word of hard.split(/\s+/)) {
      if (!word) continue;
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text of raw HTML: tags dropped, common entities decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#')
        return String.fromCodePoint(
          e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        );
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** The plain text of inline tokens (for the preheader and alt texts): no references, no markup. */
export function plainInline(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'text' || t.type === 'code_inline') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
    else if (t.type === 'image') out += plainInline(t.children ?? []);
    else if (t.type === 'html_inline') out += htmlToText(t.content);
  }
  return out;
}

function inlineText(tokens: readonly Token[], options: TextOptions): string {
  let out = '';
  const open: { href: string; start: number }[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'code_inline':
        out += t.content;
        break;
      case 'softbreak':
        out += ' ';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'html_inline':
        out += htmlToText(t.content);
        break;
      case 'image':
        out += `[${options.imageLabel}: ${plainInline(t.children ?? [])}]`;
        break;
      case 'link_open':
        open.push({ href: String(t.attrGet('href') ?? ''), start: out.length });
        break;
      case 'link_close': {
        const link = open.pop();
        if (!link) break;
        const label = out.slice(link.start);
        const scheme = urlScheme(link.href);
        if (scheme === 'mailto' || scheme === 'tel') {
          const target = safeDecode(link.href.slice(scheme.length + 1).split('?')[0]!);
          if (!label.includes(target)) out += ` (${target})`;
        } else {
          const url = options.resolveUrl(link.href, 'link');
          if (label.trim() !== url) out += ` [${options.refs.ref(url)}]`;
        }
        break;
      }
    }
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface Container {
  first: string;
  rest: string;
  used: boolean;
}

/** Renders Markdown block tokens as plain text lines. */
export function markdownText(tokens: readonly Token[], options: TextOptions, width = TEXT_WIDTH): string[] {
  const out: string[] = [];
  const stack: Container[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  const prefix = () => {
    let p = '';
    for (const c of stack) {
      p += c.used ? c.rest : c.first;
      c.used = true;
    }
    return p;
  };
  const prefixWidth = () => stack.reduce((n, c) => n + c.rest.length, 0);
  const blank = () => {
    const atItemStart = stack.length > 0 && !stack[stack.length - 1]!.used;
    if (out.length && out[out.length - 1]!.trim() !== '' && !atItemStart)
      out.push(
        stack
          .map((c) => c.rest)
          .join('')
          .trimEnd(),
      );
  };
  const emit = (lines: string[]) => {
    for (const l of lines) out.push((prefix() + l).trimEnd());
  };
  let cells: string[] = [];
  let tight = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open': {
        const text = inlineText(tokens[i + 1]!.children ?? [], options).trim();
        blank();
        const lines = wrap(text, width - prefixWidth());
        if (t.tag === 'h2' || t.tag === 'h1') {
          const longest = Math.max(...lines.map((l) => l.length));
          emit([...lines, '-'.repeat(longest)]);
        } else emit(lines);
        i += 2;
        break;
      }
      case 'paragraph_open': {
        tight = t.hidden;
        if (!t.hidden) blank();
        emit(wrap(inlineText(tokens[i + 1]!.children ?? [], options), width - prefixWidth()));
        i += 2;
        break;
      }
      case 'blockquote_open':
        blank();
        stack.push({ first: '> ', rest: '> ', used: false });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        // A list inside a tight list item follows its text directly.
        if (!(stack.length && tight)) blank();
        lists.push({ ordered: t.type === 'ordered_list_open', n: Number(t.attrGet('start') ?? 1) });
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1]!;
        const marker = list.ordered ? `${list.n++}. ` : '- ';
        if (out.length && out[out.length - 1]!.trim() !== '' && !tokens[i + 1]?.hidden) blank();
        stack.push({ first: marker, rest: ' '.repeat(marker.length), used: false });
        break;
      }
      case 'blockquote_close':
      case 'list_item_close':
        stack.pop();
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'fence':
      case 'code_block':
        blank();
        emit(
          t.content
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `    ${l}`),
        );
        break;
      case 'hr':
        blank();
        emit(['-'.repeat(20)]);
        break;
      case 'html_block': {
        const text = htmlToText(t.content).trim();
        if (!text) break;
        for (const para of text.split(/\n\s*\n/)) {
          blank();
          emit(wrap(para, width - prefixWidth()));
        }
        break;
      }
      case 'tr_open':
        cells = [];
        break;
      case 'th_open':
      case 'td_open':
        cells.push(inlineText(tokens[i + 1]!.children ?? [], options).trim());
        i += 2;
        break;
      case 'tr_close':
        emit([cells.join(' | ')]);
        break;
      case 'table_open':
        blank();
        break;
    }
  }
  return out;
}
