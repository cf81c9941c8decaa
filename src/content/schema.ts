import type * as Z from 'zod';
import { lazy } from '../core/lazy-require.js';
import { zod } from '../core/zod.js';
import { RELEASE_TYPES } from './types.js';

/**
 * The frontmatter of a release, as written: the one declaration of its fields. Their types (Frontmatter,
 * and the fields Release keeps, types.ts) follow from it; the cache stores whatever parse.ts makes of them
 * and is versioned by the code's fingerprint, so a new field needs only this and its use in parse.ts.
 * Cross-checks against the config happen in parse.ts. Built on first use: runs whose releases all come
 * from the parse cache never load zod.
 */
export const frontmatterSchema = lazy(() => {
  const z = zod();
  const inlineContact = z.strictObject({
    name: z.string().min(1),
    role: z.string().min(1).optional(),
    organization: z.string().min(1).optional(),
    email: z.email(),
    phone: z.union([z.string(), z.number()]).optional(),
  });
  return z.strictObject({
    title: z.string().trim().min(1, 'the title is empty'),
    date: z.string(),
    type: z.enum(RELEASE_TYPES).default('press-release'),
    lang: z.string().optional(),
    lead: z.string().trim().min(1).optional(),
    image: z
      .strictObject({
        src: z.string().min(1),
        alt: z.string().optional(),
        credit: z.string().optional(),
        /** The point to keep in view when the image is cropped (Open Graph), as fractions of width and height. */
        focus: z.array(z.number().min(0).max(1)).length(2).optional(),
        /** Terms of use shown with the download link; the config's `images.license` by default. */
        license: z.string().min(1).optional(),
        /** Whether the original is offered for download (without its GPS position). */
        download: z.boolean().optional(),
      })
      .optional(),
    contacts: z.array(z.union([z.string(), inlineContact])).default([]),
    boilerplate: z.string().min(1).optional(),
    topics: z.array(z.string()).default([]),
    translationKey: z.string().min(1).optional(),
    embargo: z.string().optional(),
    draft: z.boolean().default(false),
    newsletter: z.boolean().default(true),
    slug: z.string().optional(),
    // The press office's workflow (content/press-fields.ts): dated corrections, pre-briefing under
    // embargo, and a release taken back whose address keeps answering.
    corrections: z
      .array(z.strictObject({ date: z.string(), text: z.string().trim().min(1, 'the correction is empty') }))
      .default([]),
    prebrief: z.union([z.boolean(), z.string()]).optional(),
    withdrawn: z.union([z.boolean(), z.string()]).optional(),
    withdrawnReason: z.string().trim().min(1).optional(),
  });
});

export type Frontmatter = Z.infer<ReturnType<typeof frontmatterSchema>>;
