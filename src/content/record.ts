import type { Config, Contact } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { projectPath } from './files.js';
import type { PackReader, PackWriter } from './packing.js';
import { registryBoilerplate } from './parse.js';
import type { FileResult } from './read.js';
import type { Release, ReleaseType } from './types.js';

/**
 * What one release file gave, with the size and modification time of the bytes it was read from
 * (size -1 when it could not be read: such a record never matches the file again).
 */
export interface FileRecord extends FileResult {
  size: number;
  mtimeMs: number;
}

/**
 * Writes a file's record: how parser threads hand their results over and how the cache keeps them.
 * Registry contacts and boilerplates go by id (the config, which the reader has too, holds them), and
 * nothing is written that the path and the config give again (id, file).
 */
export function writeRecord(w: PackWriter, config: Config, e: FileRecord): void {
  w.record();
  w.num(1);
  w.str(e.path);
  w.num(e.size);
  w.num(e.mtimeMs);
  w.list(e.deps, ([p, was]) => {
    w.str(p);
    w.bool(was);
  });
  w.list(e.diagnostics, (d) => w.json(d));
  const r = e.release;
  w.bool(!!r);
  if (!r) return;
  w.str(r.title);
  w.num(r.date.getTime());
  w.str(r.localDate);
  w.bool(r.dateOnly);
  w.str(r.type);
  w.str(r.lang);
  w.str(r.slug);
  w.str(r.lead);
  w.num(r.bodyLine);
  w.list(r.bodyImages, (i) => {
    w.str(i.url);
    w.str(i.file);
    w.num(i.line);
  });
  w.list(r.links, (l) => {
    w.str(l.url);
    w.num(l.line);
    w.num(l.column);
  });
  w.list(r.contacts, (c) => {
    const known = c.id !== undefined && config.contacts[c.id] !== undefined;
    w.bool(known);
    if (known) w.str(c.id!);
    else w.json(c);
  });
  w.list(r.topics, (t) => w.str(t));
  w.opt(r.translationKey);
  w.num(r.embargo?.getTime() ?? Number.NaN);
  w.bool(r.draft);
  w.bool(r.newsletter);
  w.num(r.publishAt.getTime());
  w.str(r.hash);
  w.bool(!!r.image);
  if (r.image) {
    w.str(r.image.src);
    w.str(r.image.alt);
    w.opt(r.image.credit);
    w.opt(r.image.file);
    w.opt(r.image.url);
  }
  const bp = r.boilerplate;
  const known = bp?.id !== undefined && config.boilerplates[bp.id] !== undefined;
  w.num(!bp ? 0 : known ? 1 : 2);
  if (bp) w.str(known ? bp.id! : bp.markdown);
}

/** Marks a file as gone, in a journal of changes. */
export function writeRemoved(w: PackWriter, abs: string): void {
  w.record();
  w.num(0);
  w.str(abs);
}

/** Reads back a record written by writeRecord with the same config, or the path writeRemoved marked. */
export function readRecord(r: PackReader, config: Config): FileRecord | string {
  r.record();
  if (r.num() === 0) return r.str();
  const abs = r.str();
  const size = r.num();
  const mtimeMs = r.num();
  const deps = r.list((): [string, boolean] => [r.str(), r.bool()]);
  const diagnostics = r.list(() => r.json<Diagnostic>());
  const e: FileRecord = { path: abs, size, mtimeMs, deps, diagnostics };
  if (r.bool()) e.release = readRelease(r, config, abs);
  return e;
}

function readRelease(r: PackReader, config: Config, abs: string): Release {
  const title = r.str();
  const date = new Date(r.num());
  const localDate = r.str();
  const dateOnly = r.bool();
  const type = r.str() as ReleaseType;
  const lang = r.str();
  const slug = r.str();
  const lead = r.str();
  const bodyLine = r.num();
  const bodyImages = r.list(() => ({ url: r.str(), file: r.str(), line: r.num() }));
  const links = r.list(() => ({ url: r.str(), line: r.num(), column: r.num() }));
  const contacts = r.list(() => (r.bool() ? config.contacts[r.str()]! : r.json<Contact>()));
  const topics = r.list(() => r.str());
  const translationKey = r.opt();
  const embargo = r.num();
  const release: Release = {
    id: `${lang}/${slug}`,
    file: projectPath(config.root, abs),
    path: abs,
    title,
    date,
    localDate,
    dateOnly,
    type,
    lang,
    slug,
    lead,
    bodyLine,
    bodyImages,
    links,
    contacts,
    topics,
    draft: r.bool(),
    newsletter: r.bool(),
    publishAt: new Date(r.num()),
    hash: r.str(),
  };
  if (translationKey !== undefined) release.translationKey = translationKey;
  if (!Number.isNaN(embargo)) release.embargo = new Date(embargo);
  if (r.bool()) {
    release.image = { src: r.str(), alt: r.str() };
    const credit = r.opt();
    const file = r.opt();
    const url = r.opt();
    if (credit !== undefined) release.image.credit = credit;
    if (file !== undefined) release.image.file = file;
    if (url !== undefined) release.image.url = url;
  }
  const boilerplate = r.num();
  if (boilerplate === 1) release.boilerplate = registryBoilerplate(config, r.str(), lang)!;
  else if (boilerplate === 2) release.boilerplate = { markdown: r.str() };
  return release;
}
