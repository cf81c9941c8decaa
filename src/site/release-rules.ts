import { existsSync } from 'node:fs';
import type { Release } from '../content/types.js';
import { diag, type Diagnostic, type Severity } from '../core/diagnostic.js';

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
  return diag(
    'site-image-missing',
    severity,
    `The image "${url}" does not exist; the page links to it as written.`,
    {
      ...at,
      hint: 'Put the image at that path (relative to the release file) or fix the link.',
    },
  );
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
