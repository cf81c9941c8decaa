/** A light block scanner over Markdown: enough to find the lead and Swedish-style quotes, with lines. */
export interface Paragraph {
  text: string;
  /** 0-based line within the scanned text. */
  line: number;
  /** 0-based line just after the paragraph. */
  endLine: number;
  /** Character offsets of the paragraph's first line and of the end of its last line. */
  offset: number;
  endOffset: number;
}

const NOT_PARAGRAPH =
  /^(?:#{1,6}\s|>|[*+-]\s|\d+[.)]\s|```|~~~|\||<|!\[[^\]]*\]\([^)]*\)\s*$|(?:[-*_]\s*){3,}$|\s{4})/;

/** Plain paragraphs (not headings, lists, code, tables, HTML or image-only lines). */
export function paragraphs(markdown: string): Paragraph[] {
  const lines = markdown.split('\n');
  const starts: number[] = [];
  for (let n = 0, at = 0; n < lines.length; n++) {
    starts.push(at);
    at += lines[n]!.length + 1;
  }
  const out: Paragraph[] = [];
  let fence: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.replace(/\r$/, '');
    const trimmed = line.trimStart();
    const fenceMatch = /^(```|~~~)/.exec(trimmed);
    if (fence) {
      if (fenceMatch && trimmed.startsWith(fence)) fence = undefined;
      i++;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      i++;
      continue;
    }
    if (trimmed === '') {
      i++;
      continue;
    }
    const start = i;
    const plain = !NOT_PARAGRAPH.test(line);
    const block: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !(i > start && /^(#{1,6}\s|```|~~~)/.test(lines[i]!.trimStart()))
    ) {
      block.push(lines[i]!.replace(/\r$/, '').trim());
      i++;
    }
    if (plain) {
      out.push({
        text: block.join(' '),
        line: start,
        endLine: i,
        offset: starts[start]!,
        endOffset: starts[i - 1]! + lines[i - 1]!.length,
      });
    }
  }
  return out;
}

/** A paragraph in the Swedish press style starts with a dash: "– Text, säger NAME, ROLE." */
export const QUOTE_START = /^[–—]\s/;

const SPEECH_VERBS =
  'säger|sa|menar|berättar|förklarar|konstaterar|tillägger|fortsätter|understryker|says|said|explains|adds|continues|notes|stresses';

/** Where an attribution starts in a run of text: ", säger " followed by a capitalised name. */
export const ATTRIBUTION_START = new RegExp(`,\\s+(?:${SPEECH_VERBS})\\s+(?=\\p{Lu})`, 'u');

/** ", säger Anna Berg, vd." / ", says Anna Berg, CEO." somewhere in the paragraph. */
const ATTRIBUTION = new RegExp(
  `,\\s+(?:${SPEECH_VERBS})\\s+(\\p{Lu}[\\p{L}'’.-]*(?:\\s+\\p{Lu}[\\p{L}'’.-]*)*)(?:,\\s*([^.]+(?:\\.[^\\s][^.]*)*))?\\.\\s*(?:$|(?=\\s))`,
  'u',
);

export interface QuoteParts {
  /** The quoted words, without the leading dash. */
  quote: string;
  /** The attribution, e.g. "säger Anna Berg, vd." */
  attribution?: string;
  speaker?: string;
  role?: string;
}

/** Splits a quote paragraph into quote and attribution; undefined when the text is not a quote. */
export function parseQuote(text: string): QuoteParts | undefined {
  if (!QUOTE_START.test(text)) return undefined;
  const body = text.replace(QUOTE_START, '');
  const m = ATTRIBUTION.exec(body);
  if (!m) return { quote: body };
  const parts: QuoteParts = {
    quote: body.slice(0, m.index),
    attribution: body.slice(m.index + 1).trim(),
    speaker: m[1]!,
  };
  if (m[2]) parts.role = m[2].trim();
  return parts;
}
