import { loadConfig } from '../../src/config/load.js';
import { renderEmailPreview } from '../../src/email/preview.js';
import { type Preview, type PreviewOptions, startPreview } from '../../src/dev/preview.js';

/** `scs preview` of the project in `root` on a free loopback port, drafts and future releases shown. */
export function previewProject(
  root: string,
  now: Date,
  options: Partial<PreviewOptions> = {},
): Promise<Preview> {
  return startPreview({
    host: '127.0.0.1',
    port: 0,
    drafts: true,
    future: true,
    search: false,
    now,
    loadConfig: () => loadConfig({ root, env: {} }),
    emailPreview: renderEmailPreview,
    ...options,
  });
}
