import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { Locator } from '../content/locate.js';
import { imageCacheDir } from './cache.js';
import { problemDiagnostic, usesOf } from './pipeline.js';
import { SourceIndex } from './sources.js';

/** Below this width a hero is stretched on a large screen. */
const HERO_MIN_WIDTH = 1200;
/** Journalists download the original as it is: more than this is slow to fetch and to mail on. */
const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** "IMG_1234.jpg", "DSC01234", "photo.png": what a camera or a upload names, not what the image shows. */
const FILE_NAME =
  /^(?:[\w.-]+\.(?:jpe?g|png|gif|webp|avif|heic|heif|tiff?|svg)|(?:img|dsc|dscn|dscf|pxl|p|dji)[_-]?\d+\w*)$/i;

/**
 * `scs check`'s image rules, from each image's header only (assets/sources.ts keeps it by size and
 * modification time): an image scs cannot use, a soft hero, a very large file, alt text that is a file
 * name. A cut-short file shows only when its pixels are decoded (the build reports it).
 */
export async function checkImages(config: Config, releases: Release[]): Promise<Diagnostic[]> {
  const sources = new SourceIndex(imageCacheDir(config));
  const at = new Locator(config.root);
  const out: Diagnostic[] = [];
  for (const use of usesOf(config, releases)) {
    // Reading the release to say where is for the few with something to report.
    const where = () => at.find(use.release.path, use.src, use.line ?? 1);
    const known = (await sources.describe(use.file))?.known;
    if (!known) continue; // content/ reports a missing image
    if (known.problem) out.push(problemDiagnostic(known.problem, { src: use.src, ...where() }));
    else if (use.hero && known.info && known.info.width < HERO_MIN_WIDTH)
      out.push(report('image-hero-small', { src: use.src, width: known.info.width, ...where() }));
    if (known.size > MAX_FILE_BYTES)
      out.push(
        report('image-file-large', { src: use.src, megabytes: Math.round(known.size / 2 ** 20), ...where() }),
      );
  }
  for (const release of releases) {
    const alt = release.image?.alt.trim();
    if (alt && FILE_NAME.test(alt))
      out.push(report('image-alt-file-name', { alt, ...at.find(release.path, alt) }));
  }
  sources.save();
  return out;
}
