/** Text helpers every output shares: HTML escaping and the control characters no line may carry. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Anything that could break a header line or confuse a reader: line breaks and control characters (a tab is white space). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/;
const CONTROL_RUNS = /[\s\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Collapses line breaks, tabs and other control characters into single spaces. */
export function singleLine(text: string): string {
  return text.replace(CONTROL_RUNS, ' ').trim();
}
