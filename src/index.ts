/** scs as a library: everything the CLI does is available here. */
export type { Diagnostic, Severity } from './core/diagnostic.js';
export { ScsError, hasErrors, summarize } from './core/diagnostic.js';
export { loadConfig, readConfig, type LoadConfigOptions } from './config/load.js';
export type { Config, Contact, Localized, NewsletterList } from './config/types.js';
export { loadReleases, checkReleases, type LoadOptions, type LoadResult } from './content/load.js';
export { parseRelease } from './content/parse.js';
export { planNewRelease, planInit, writeNewFiles, type PlannedFile } from './content/scaffold.js';
export { isPublished, type Release, type ReleaseType } from './content/types.js';
export { releasePath, releaseUrl, releaseOutputPath } from './content/permalink.js';
export { renderMarkdown, renderInline } from './render/markdown.js';
export { parsePhone } from './core/phone.js';
export { slugify } from './core/slug.js';
export { parseDateTime, localDate, localDateTime } from './core/time.js';
export type { Transport, OutgoingMessage, SendResult } from './delivery/transport.js';
export { createTransport } from './delivery/create-transport.js';
