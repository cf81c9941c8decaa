import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { checkReleases } from '../content/load.js';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import { type Diagnostic, hasErrors, ScsError } from '../core/diagnostic.js';
import { loadDkimSigner } from './dkim.js';
import { renderSampleEmail } from './sample.js';
import { findRelease } from '../content/find-release.js';
import { chooseList } from './select.js';
import { makePrivateDir } from '../core/private-dir.js';
import { relativeFileUrl } from './urls.js';

export interface InspectOptions {
  /** The release: id (`sv/<slug>`), file (relative to `cwd`), unique slug or translation key with `lang`. */
  release: string;
  lang?: string;
  listId?: string;
  /** Default `<stateDir>/email/`. */
  outDir?: string;
  cwd?: string;
  now: Date;
}

export interface InspectFile {
  path: string;
  content: Buffer;
}

export interface InspectPlan {
  release?: Release;
  listId?: string;
  subject?: string;
  /** HTML part, text part and whole message, in bytes. */
  sizes?: { html: number; text: number; message: number };
  files: InspectFile[];
  diagnostics: Diagnostic[];
}

/**
 * `scs email`: renders a release's newsletter for a sample recipient and plans the `.html`, `.txt`
 * and `.eml` files to look at. Nothing is written here.
 */
export async function planEmailInspection(config: Config, options: InspectOptions): Promise<InspectPlan> {
  // A bad DKIM key is a configuration problem (exit 2), whatever the release.
  const dkim = loadDkimSigner(config);
  if (dkim.diagnostics.length) throw new ScsError(dkim.diagnostics, 2);
  const loaded = await checkReleases(config);
  const found = findRelease(config, loaded, options.release, {
    ...(options.lang ? { lang: options.lang } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (!found.release) return { files: [], diagnostics: found.diagnostics };
  const release = found.release;
  const list = chooseList(config, release, options.listId);
  const dir = path.resolve(options.cwd ?? config.root, options.outDir ?? path.join(config.stateDir, 'email'));
  // The .html is for looking at before the site is deployed: its images are the files themselves.
  const sample = await renderSampleEmail(config, release, list.id, options.now, (file) =>
    relativeFileUrl(dir, file),
  );
  const own = loaded.diagnostics.filter((d) => d.file === release.file);
  const diagnostics = [...own, ...sample.diagnostics];
  if (!sample.message || !sample.template || hasErrors(diagnostics))
    return { release, listId: list.id, files: [], diagnostics };
  const base = path.join(dir, `${release.lang}-${release.slug}.${list.id}`);
  const html = Buffer.from(sample.html ?? '');
  const previewHtml = Buffer.from(sample.previewHtml ?? sample.html ?? '');
  const text = Buffer.from(sample.text ?? '');
  return {
    release,
    listId: list.id,
    subject: sample.template.subject,
    sizes: { html: html.length, text: text.length, message: sample.message.raw.length },
    files: [
      { path: `${base}.html`, content: previewHtml },
      { path: `${base}.txt`, content: text },
      { path: `${base}.eml`, content: sample.message.raw },
    ],
    diagnostics,
  };
}

/** Writes every planned file under a temporary name first, then renames them: all or nothing. */
export function writeInspectFiles(files: readonly InspectFile[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      makePrivateDir(path.dirname(f.path));
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.${process.pid}.tmp`);
      writeFileSync(tmp, f.content);
      temps.push(tmp);
    }
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new ScsError([
      report('email-write-failed', { path: err.path ?? 'the email files', reason: err.code ?? err.message }),
    ]);
  }
  for (const [i, f] of files.entries()) renameSync(temps[i]!, f.path);
}
