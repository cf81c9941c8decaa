import type * as Z from 'zod';
import { lazy } from '../core/lazy-require.js';
import { zod } from '../core/zod.js';

/** The config file's schema, built on first use: runs that find the config in its cache never load zod. */
export const configSchema = lazy(() => {
  const z = zod();
  /** A text given once for all languages, or per language (`{sv: …, en: …}`). */
  const localized = z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]);
  const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'ids use lower-case letters, digits, "-" and "_"');
  const httpUrl = z.url({ protocol: /^https?$/ });

  const contactSchema = z.strictObject({
    name: z.string().min(1),
    role: localized.optional(),
    organization: localized.optional(),
    email: z.email(),
    phone: z.union([z.string(), z.number()]).optional(),
    /** Listed on the press contacts page (`<lang>/contacts/`). */
    press: z.boolean().default(false),
    /** Topic ids the contact speaks about. */
    topics: z.array(z.string()).default([]),
  });

  const listSchema = z.strictObject({
    lang: z.string(),
    name: localized,
    description: localized.optional(),
    topics: z.array(z.string()).default([]),
    /** `press`: journalists the press office adds itself, briefed under embargo; not on the public form. */
    audience: z.enum(['public', 'press']).default('public'),
  });

  const deliverySchema = z.strictObject({
    /** Parallel SMTP connections. */
    concurrency: z.int().min(1).max(100).default(4),
    /** Messages per second across all connections; 0 means no limit. */
    rate: z.number().min(0).default(0),
    /** Messages sent over one SMTP connection before it is renewed. */
    messagesPerConnection: z.int().min(1).default(10000),
    maxAttempts: z.int().min(1).max(20).default(5),
    /** First retry delay; it doubles on each attempt. */
    retryBaseMs: z.int().min(0).default(2000),
    timeoutMs: z.int().min(100).default(30000),
    /**
     * How long a sending run that has gone silent keeps its hold on the dispatches (PostgreSQL: each
     * worker's lease; SQLite: the one dispatch lock); it renews it every few seconds while it runs.
     */
    leaseMs: z.int().min(1000).default(60000),
  });

  /** Bounce and complaint handling (`scs bounces fetch`): see the README's "Bounces and complaints". */
  const bounceSchema = z.strictObject({
    /** The bounce mailbox; each message's envelope sender becomes `<local>+<token>@<domain>` (VERP). */
    address: z.email().optional(),
    /** Soft bounces (4.x.x) that suppress an address, when they come within `softWindow`. */
    softLimit: z.int().min(1).max(100).default(3),
    softWindow: z.union([z.string(), z.number()]).default('30d'),
  });

  return z.strictObject({
    organization: z.strictObject({
      name: localized,
      url: httpUrl.optional(),
      logo: z.string().optional(),
    }),
    timeZone: z.string().default('Europe/Stockholm'),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'use language codes such as sv or en'))
      .min(1)
      .default(['sv', 'en']),
    defaultLanguage: z.string().optional(),
    releases: z.string().default('releases'),
    templates: z.string().default('templates'),
    site: z.strictObject({
      baseUrl: httpUrl,
      name: localized,
      description: localized.optional(),
      /** Base URL of each language's part of the site; default `<baseUrl><lang>/`. */
      languageBaseUrls: z.record(z.string(), httpUrl).default({}),
      pageSize: z.int().min(1).max(500).default(20),
      /** Releases per feed, with their full content. */
      feedSize: z.int().min(1).max(500).default(20),
      out: z.string().default('public'),
      phoneRegion: z.string().length(2).default('SE'),
    }),
    contacts: z.record(id, contactSchema).default({}),
    boilerplates: z.record(id, localized).default({}),
    topics: z.record(id, localized).default({}),
    newsletter: z
      .strictObject({
        from: z.strictObject({ name: z.string().min(1), email: z.email() }),
        replyTo: z.email().optional(),
        subjectPrefix: z.string().default(''),
        /** Releases older than this are never mailed by `scs publish` (e.g. `3d`, `12h`). */
        maxAge: z.union([z.string(), z.number()]).default('3d'),
        /** Public HTTPS URL where `scs serve` answers (subscribe, confirm, unsubscribe). */
        endpoint: httpUrl.optional(),
        unsubscribeMailto: z.email().optional(),
        confirmTokenTtl: z.union([z.string(), z.number()]).default('7d'),
        lists: z.record(id, listSchema).default({}),
        delivery: deliverySchema.default(deliverySchema.parse({})),
        bounce: bounceSchema.default(bounceSchema.parse({})),
      })
      .optional(),
    serve: z
      .strictObject({
        /** The proxies (addresses or CIDR ranges) whose X-Forwarded-For `scs serve` believes. */
        trustProxy: z.array(z.string()).default([]),
      })
      .default({ trustProxy: [] }),
    images: z
      .strictObject({
        /** The terms shown with an image's download link when its frontmatter gives no `image.license`. */
        license: localized.optional(),
      })
      .default({}),
  });
});

export type ConfigInput = Z.infer<ReturnType<typeof configSchema>>;
export type LocalizedInput = ConfigInput['site']['name'];
export type DeliverySettings = NonNullable<ConfigInput['newsletter']>['delivery'];
