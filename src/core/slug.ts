/** URL slugs from titles: Swedish letters transliterated (å→a, ä→a, ö→o, é→e), lower-case, hyphenated. */
const SPECIAL: Record<string, string> = { æ: 'ae', ø: 'o', ß: 'ss', œ: 'oe', ð: 'd', þ: 'th', ł: 'l' };

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugify(title: string, maxLength = 80): string {
  const base = title
    .toLowerCase()
    .replace(/[æøßœðþł]/g, (c) => SPECIAL[c]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base.length <= maxLength) return base;
  // Cut at a word boundary so slugs stay readable.
  const cut = base.slice(0, maxLength + 1);
  const at = cut.lastIndexOf('-');
  return (at > maxLength / 2 ? cut.slice(0, at) : base.slice(0, maxLength)).replace(/-+$/, '');
}
