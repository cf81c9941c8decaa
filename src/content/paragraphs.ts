/** A light block scanner over Markdown: enough to find the lead and Swedish-style quotes, with lines. */
export interface Paragraph {
  text: string;
  /** 0-based line within the scanned text. */
  line: number;
  /** 1-based column where the paragraph's text starts on its first line. */
  column: number;
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
      const column = line.length - line.trimStart().length + 1;
      out.push({ text, line: start, column, endLine: i, offset: starts[start]!, endOffset: ends[i - 1]! });
    }
  }
  return out;
}

/**
 * A paragraph in the Swedish press style starts with a dash and a space: "– " (en dash), "— " (em
 * dash), or "\- " (an escaped hyphen-minus: "- " at a line start is a Markdown list item, so only
 * the escaped form can begin a paragraph; the renderer sees it as "- ").
 */
export const QUOTE_START = /^(?:[–—]|\\?-)\s/;

/** The single list of speech verbs, Swedish and English. */
const SPEECH_VERBS =
  'säger|sa|menar|berättar|förklarar|konstaterar|tillägger|fortsätter|understryker|says|said|explains|adds|continues|notes|stresses';

/** Quotation marks that may close the quote, before or after its comma: …hoppas,” säger / …hope”, says */
const CLOSING_MARK = '[”"’»]';

/**
 * An attribution: a comma (a closing quotation mark on either side of it), whitespace (a line break
 * too), a speech verb and a capitalised name (in the Markdown maybe after "**" or "["). Group 1 is
 * the punctuation; the attribution starts after it.
 */
const ATTRIBUTION = new RegExp(
  `(${CLOSING_MARK}?,${CLOSING_MARK}?)\\s+(?:${SPEECH_VERBS})\\s+(?=[*_[]*\\p{Lu})`,
  'gu',
);

/** Where a quote's words end (before the comma) and its attribution starts (after it). */
export interface AttributionAt {
  quoteEnd: number;
  start: number;
}

/**
 * Finds the attribution in a quote's text. The last one counts: it runs to the paragraph's end.
 * The one definition of an attribution, for the renderer (on the rendered words) and for `check`
 * (on the Markdown).
 */
export function findAttribution(text: string): AttributionAt | undefined {
  let found: AttributionAt | undefined;
  for (const m of text.matchAll(ATTRIBUTION)) found = { quoteEnd: m.index, start: m.index + m[1]!.length };
  return found;
}

/** "säger Anna Berg, vd." → speaker "Anna Berg", role "vd" */
const SPEAKER = new RegExp(`^(?:${SPEECH_VERBS})\\s+([^,]+?)(?:,\\s*(.*?))?\\.?$`, 'su');

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
  const at = findAttribution(body);
  if (!at) return { quote: body };
  const attribution = body.slice(at.start).trim();
  const m = SPEAKER.exec(attribution)!;
  const parts: QuoteParts = { quote: body.slice(0, at.quoteEnd), attribution, speaker: m[1]! };
  if (m[2]) parts.role = m[2];
  return parts;
}
