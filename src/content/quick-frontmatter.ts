import type { Frontmatter } from './schema.js';
import { RELEASE_TYPES, type ReleaseType } from './types.js';

const KEYS = new Set([
  'title',
  'date',
  'type',
  'lang',
  'lead',
  'image',
  'contacts',
  'boilerplate',
  'topics',
  'translationKey',
  'embargo',
  'draft',
  'newsletter',
  'slug',
]);
const IMAGE_KEYS = new Set(['src', 'alt', 'credit']);
const CONTACT_KEYS = new Set(['name', 'role', 'organization', 'email', 'phone']);
/** Stricter than zod's email format (no apostrophes), so that nothing passes here that fails there. */
const EMAIL = /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

const isString = (v: unknown): v is string => typeof v === 'string';
const optional = (v: unknown, test: (v: unknown) => boolean) => v === undefined || test(v);
const nonEmpty = (v: unknown) => isString(v) && v.length > 0;
const strings = (v: unknown) => Array.isArray(v) && v.every(isString);
const plainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** An object with only these keys, none of them undefined. */
const onlyKeys = (v: Record<string, unknown>, keys: Set<string>) => {
  for (const key in v) if (!keys.has(key) || v[key] === undefined) return false;
  return true;
};
const inlineContact = (c: unknown) =>
  plainObject(c) &&
  onlyKeys(c, CONTACT_KEYS) &&
  nonEmpty(c.name) &&
  isString(c.email) &&
  EMAIL.test(c.email) &&
  [c.role, c.organization].every((v) => optional(v, nonEmpty)) &&
  // z.number() takes finite numbers only (YAML has .nan and .inf).
  optional(c.phone, (p) => isString(p) || Number.isFinite(p));

/**
 * The frontmatter as frontmatterSchema() gives it, for a frontmatter that is valid, without zod: loading
 * it costs a run that parses one edited release more than the rest of the parse. Undefined for anything
 * in doubt, which the schema then judges: this accepts only what the schema accepts, and reports nothing.
 */
export function quickFrontmatter(value: Record<string, unknown>): Frontmatter | undefined {
  if (!onlyKeys(value, KEYS)) return undefined;
  const { title, date, type, lang, lead, image, contacts, boilerplate, topics } = value;
  const { translationKey, embargo, draft, newsletter, slug } = value;
  if (!isString(title) || !title.trim() || !isString(date)) return undefined;
  if (!optional(type, (t) => RELEASE_TYPES.includes(t as ReleaseType))) return undefined;
  if (!optional(lead, (l) => isString(l) && l.trim().length > 0)) return undefined;
  if (!optional(topics, strings)) return undefined;
  if (
    !optional(contacts, (list) => Array.isArray(list) && list.every((c) => isString(c) || inlineContact(c)))
  )
    return undefined;
  if (![boilerplate, translationKey].every((v) => optional(v, nonEmpty))) return undefined;
  if (![lang, embargo, slug].every((v) => optional(v, isString))) return undefined;
  if (![draft, newsletter].every((v) => optional(v, (b) => typeof b === 'boolean'))) return undefined;
  if (image !== undefined) {
    if (!plainObject(image) || !onlyKeys(image, IMAGE_KEYS) || !nonEmpty(image.src)) return undefined;
    if (!optional(image.alt, isString) || !optional(image.credit, isString)) return undefined;
  }
  return {
    ...(value as Partial<Frontmatter>),
    title: title.trim(),
    date,
    type: (type as ReleaseType | undefined) ?? 'press-release',
    ...(lead === undefined ? {} : { lead: (lead as string).trim() }),
    contacts: (contacts as Frontmatter['contacts'] | undefined) ?? [],
    topics: (topics as string[] | undefined) ?? [],
    draft: (draft as boolean | undefined) ?? false,
    newsletter: (newsletter as boolean | undefined) ?? true,
  };
}
