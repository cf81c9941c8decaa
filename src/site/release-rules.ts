import { existsSync } from 'node:fs';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic, Severity } from '../core/diagnostic.js';

/** Where a diagnostic points: the release file, and the line (and column) in it. */
export interface RulePosition {
  file: string;
  line?: number;
  column?: number;
}

/**
 * A local image in a release body that does not exist. The build links to it as written (a warning
 * there: the page still renders); `scs check` reports it as an error, since the page would show a hole.
 */
export function siteImageMissing(url: string, at: RulePosition, severity: Severity): Diagnostic {
  return report('site-image-missing', { url, ...at, severity });
}

/**
 * The site's rules for one release, as `scs check` runs them: every local body image must exist.
 * `locate` finds the column of a text on a line of the release file.
 */
export function checkReleasePage(
  release: Release,
  locate: (needle: string, line: number) => RulePosition,
): Diagnostic[] {
  return release.bodyImages
    .filter((image) => !existsSync(image.file))
    .map((image) => siteImageMissing(image.url, locate(image.url, image.line), 'error'));
}
