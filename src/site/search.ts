import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PAGEFIND_DIR } from './paths.js';

/**
 * Release pages (`<lang>/YYYY/MM/DD/<slug>/index.html`) and the media bank's (`<lang>/images/…`), where
 * a caption or a photographer's name is found; archive pages would only repeat the releases.
 */
export const SEARCH_GLOBS = ['*/[0-9][0-9][0-9][0-9]/*/*/*/index.html', '*/images/**/index.html'];

/**
 * Bundles of fragments per language: far fewer files to write and swap than one per page, while a
 * result still loads only a small file.
 */
const MAX_FRAGMENTS = 1000;

export interface SearchIndex {
  /** Pages indexed. */
  pages: number;
  /** Files written, relative to the output folder. */
  files: string[];
  errors: string[];
}

function listFiles(dir: string, rel: string): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`],
  );
}

/**
 * Pages in the index, as its entry file counts them: Pagefind reads every file the glob matches, but
 * indexes only pages with a `data-pagefind-body` (not a withdrawn release's notice, nor a redirect).
 */
function indexedPages(dir: string): number {
  const entry = JSON.parse(readFileSync(path.join(dir, PAGEFIND_DIR, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((sum, l) => sum + l.page_count, 0);
}

/** Indexes the release and media bank pages in `dir` with Pagefind and writes the index to `dir/pagefind/`. */
export async function buildSearchIndex(dir: string): Promise<SearchIndex> {
  let pagefind: typeof import('pagefind');
  try {
    pagefind = await import('pagefind');
  } catch (e) {
    return { pages: 0, files: [], errors: [`Pagefind is not installed (${(e as Error).message})`] };
  }
  try {
    const created = await pagefind.createIndex({ maxFragments: MAX_FRAGMENTS });
    if (!created.index) return { pages: 0, files: [], errors: created.errors };
    for (const glob of SEARCH_GLOBS) {
      const added = await created.index.addDirectory({ path: dir, glob });
      if (added.errors.length) return { pages: 0, files: [], errors: added.errors };
    }
    const written = await created.index.writeFiles({ outputPath: path.join(dir, PAGEFIND_DIR) });
    if (written.errors.length) return { pages: 0, files: [], errors: written.errors };
    return { pages: indexedPages(dir), files: listFiles(dir, PAGEFIND_DIR), errors: [] };
  } catch (e) {
    return { pages: 0, files: [], errors: [String((e as Error)?.message ?? e)] };
  } finally {
    await pagefind.close();
  }
}
