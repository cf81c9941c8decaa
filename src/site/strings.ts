/** Site strings per language (see templates/site/strings/*.json). */
export type SiteStrings = Record<string, Record<string, string>>;

/** The text for `key` in `lang`, with "{name}" placeholders filled; English, then the key itself, as fallbacks. */
export function translate(
  strings: SiteStrings,
  lang: string,
  key: string,
  values: Record<string, unknown> = {},
): string {
  const text = strings[lang]?.[key] ?? strings.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));
}
