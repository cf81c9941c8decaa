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

const FENCE = /^\s*(```|~~~)/;
const BLANK = /^\s*$/;
const BREAKS_PARAGRAPH = /^\s*(?:#{1,6}\s|```|~~~)/;

/** Plain paragraphs (not headings, lists, code, tables, HTML or image-only lines). */
export function paragraphs(markdown: string): Paragraph[] {
  // Line boundaries only: most lines are looked at once and never copied.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at <= markdown.length; ) {
    let end = markdown.indexOf('\n', at);
    if (end === -1) end = markdown.length;
    starts.push(at);
    ends.push(end > at && markdown.charCodeAt(end - 1) === 13 ? end - 1 : end);
    at = end + 1;
  }
  const lineAt = (i: number) => markdown.slice(starts[i], ends[i]);
  const out: Paragraph[] = [];
  let fence: string | undefined;
  let i = 0;
  while (i < starts.length) {
    const line = lineAt(i);
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && line.trimStart().startsWith(fence)) fence = undefined;
      i++;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      i++;
      continue;
    }
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const start = i;
    const plain = !NOT_PARAGRAPH.test(line);
    i++;
    while (i < starts.length) {
      const next = lineAt(i);
      if (BLANK.test(next) || BREAKS_PARAGRAPH.test(next)) break;
      i++;
    }
    if (plain) {
      let text = line.trim();
      for (let j = start + 1; j < i; j++) text += ` ${lineAt(j).trim()}`;
      out.push({ text, line: start, endLine: i, offset: starts[start]!, endOffset: ends[i - 1]! });
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
