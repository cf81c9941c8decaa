import type { ParsedPhone } from '../core/phone.js';
import type { DeliverySettings } from './schema.js';

/** A text per configured language (every language filled, falling back to the default one). */
export type Localized = Record<string, string>;

export interface Contact {
  /** Registry id, when the contact comes from the config. */
  id?: string;
  name: string;
  role?: Localized;
  organization?: Localized;
  email: string;
  phone?: ParsedPhone;
  /** A config contact on the press contacts page. */
  press?: boolean;
  /** A config contact's topics (ids). */
  topics?: string[];
}

export interface NewsletterList {
  id: string;
  lang: string;
  name: Localized;
  description?: Localized;
  topics: string[];
  /**
   * `press`: a press list. Its members are journalists added by the press office (no public form, no
   * double opt-in), briefed before an embargo when a release asks for it (`prebrief`).
   */
  audience: 'public' | 'press';
}

export interface NewsletterConfig {
  from: { name: string; email: string };
  replyTo?: string;
  subjectPrefix: string;
  maxAgeMs: number;
  /** Public base URL of `scs serve`, with a trailing slash. */
  endpoint: string;
  unsubscribeMailto?: string;
  confirmTokenTtlMs: number;
  lists: Record<string, NewsletterList>;
  delivery: DeliverySettings;
  bounce: BounceSettings;
}

/** `newsletter.bounce`: where bounces go, and when soft ones suppress an address. */
export interface BounceSettings {
  /** The bounce mailbox (VERP envelope senders are made from it); none means the From address. */
  address?: string;
  softLimit: number;
  softWindowMs: number;
}

/** Settings that come only from the environment (secrets and machine-specific places). */
export interface EnvSettings {
  /** SCS_SMTP_URL: smtp://, smtps://, with credentials; absent means the file outbox. */
  smtpUrl?: string;
  /** SCS_SECRET: key for signed tokens and suppression hashes. */
  secret?: string;
  /** SCS_DATABASE: an SQLite file (absolute; default `.scs/scs.db`), or a `postgres://` URL as given. */
  database: string;
  /**
   * Relay webhooks: SCS_WEBHOOK_POSTMARK_AUTH ("user:password"), SCS_MAILGUN_SIGNING_KEY,
   * SCS_SES_TOPIC_ARN (the SNS topics SES notifies, comma separated), SCS_SENDGRID_VERIFICATION_KEY
   * (the public key of SendGrid's signed event webhook, base64 DER as SendGrid shows it, or PEM).
   */
  webhooks?: { postmark?: string; mailgun?: string; ses?: string; sendgrid?: string };
  /** SCS_DKIM_PRIVATE_KEY (PEM, or a path to one), SCS_DKIM_SELECTOR, SCS_DKIM_DOMAIN. */
  dkim?: { privateKey: string; selector: string; domain: string };
}

/** The whole configuration, loaded and defaulted once. Paths are absolute. */
export interface Config {
  root: string;
  /** The config file, absolute; undefined when built in memory. */
  file?: string;
  timeZone: string;
  languages: string[];
  defaultLanguage: string;
  organization: {
    /** The name in the default language, where no other language applies (e.g. the sender's name). */
    name: string;
    /** The name in each language: pages and emails use their own language's. */
    names: Localized;
    url?: string;
    logo?: string;
  };
  releasesDir: string;
  /** The project's own template overrides (`templates/site`, `templates/email` below it). */
  templatesDir: string;
  /** `.scs/`: local state (database, cache, outbox, locks). */
  stateDir: string;
  site: {
    baseUrl: string;
    name: Localized;
    description?: Localized;
    /** Absolute base URL of each language's part of the site, with a trailing slash. */
    languageBaseUrls: Localized;
    pageSize: number;
    /** Releases per feed (the newest), each with its full content. */
    feedSize: number;
    outDir: string;
    phoneRegion: string;
  };
  contacts: Record<string, Contact>;
  boilerplates: Record<string, Localized>;
  topics: Record<string, Localized>;
  newsletter: NewsletterConfig;
  images: {
    /** The terms shown with an image's download link, per language, unless its frontmatter gives its own. */
    license: Localized;
  };
  serve: {
    /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; none by default. */
    trustProxy: string[];
  };
  env: EnvSettings;
}
