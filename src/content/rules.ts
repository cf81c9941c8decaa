import { readFileSync } from 'node:fs';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Release } from './types.js';

/** Line and column of a top-level frontmatter key, read again only when a rule fires. */
export function keyPosition(release: Release, ...keys: string[]): { line: number; column: number } {
  try {
    const lines = readFileSync(release.path, 'utf8').split('\n');
    for (const key of keys) {
      const re = new RegExp(`^${key}\\s*:`);
      const i = lines.findIndex((l, n) => n > 0 && re.test(l));
      if (i < 0) continue;
      const col = lines[i]!.indexOf(':') + 1;
      const valueCol = lines[i]!.slice(col).search(/\S/);
      return { line: i + 1, column: valueCol >= 0 ? col + valueCol + 1 : 1 };
    }
  } catch {
    // The file vanished since it was read: point at its start.
  }
  return { line: 1, column: 1 };
}

/** Rules across files: unique slugs per language, and language versions that agree with each other. */
export function crossFileRules(releases: readonly Release[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byId = new Map<string, Release>();
  for (const r of releases) {
    const first = byId.get(r.id);
    if (!first) {
      byId.set(r.id, r);
      continue;
    }
    out.push(
      report('slug-duplicate', {
        slug: r.slug,
        other: first.file,
        lang: r.lang,
        file: r.file,
        ...keyPosition(r, 'slug', 'title'),
      }),
    );
  }
  const groups = new Map<string, Release[]>();
  for (const r of releases) {
    if (!r.translationKey) continue;
    const g = groups.get(r.translationKey);
    if (g) g.push(r);
    else groups.set(r.translationKey, [r]);
  }
  for (const [key, group] of groups) {
    const seen = new Map<string, Release>();
    const base = group[0]!;
    for (const r of group) {
      const twin = seen.get(r.lang);
      if (twin) {
        out.push(
          report('translation-duplicate', {
            lang: r.lang,
            key,
            other: twin.file,
            file: r.file,
            ...keyPosition(r, 'translationKey'),
          }),
        );
        continue;
      }
      seen.set(r.lang, r);
      if (r === base) continue;
      // Language versions are published together, so they must agree on these.
      const agree = [
        { key: 'date', ours: r.localDate, theirs: base.localDate, what: (v: string) => `dated ${v}` },
        { key: 'type', ours: r.type, theirs: base.type, what: (v: string) => `a ${v}` },
      ];
      for (const a of agree) {
        if (a.ours === a.theirs) continue;
        out.push(
          report('translation-mismatch', {
            lang: r.lang,
            ours: a.what(a.ours),
            baseLang: base.lang,
            baseFile: base.file,
            theirs: a.what(a.theirs),
            key: a.key,
            file: r.file,
            ...keyPosition(r, a.key),
          }),
        );
      }
    }
  }
  return out;
}
