import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { exampleProject } from '../helpers/scs.js';

export const SECRET = 'test-secret-0123456789abcdef';
/** The example's translated press release (sv and en), published 2026-10-14 09:00 Stockholm time. */
export const BERGRUM_SV = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
export const BERGRUM_EN = 'en/umea-stores-summer-heat-in-old-rock-caverns';
/** An hour after it came out: it is due, and within the default maxAge of 3 days. */
export const DUE = '2026-10-14T10:00';
export const DUE_DATE = new Date('2026-10-14T08:00:00Z');

export interface Newsroom {
  dir: string;
  /** The environment every run of this project uses (SCS_SECRET; add SCS_SMTP_URL per run). */
  env: NodeJS.ProcessEnv;
  config(env?: NodeJS.ProcessEnv): Config;
  /** Opens the project's store (the caller closes it). */
  store(): Promise<Store>;
  /** Confirmed subscribers on a list, through the store given (else the project's own); returns their ids. */
  seed(listId: string, emails: readonly string[], store?: Store): Promise<number[]>;
  cleanup(): void;
}

/**
 * A copy of the example newsroom on the domain stadslabbet.test, with its own database and the delivery
 * settings given (tiny retry delays, so that tests of retries take milliseconds).
 */
export function newsroom(
  delivery: Record<string, number> = {},
  newsletter: Record<string, string> = {},
): Newsroom {
  const project = exampleProject();
  const file = path.join(project.dir, 'scs.config.yml');
  const settings = { concurrency: 4, rate: 0, maxAttempts: 5, retryBaseMs: 20, timeoutMs: 5000, ...delivery };
  // On a domain of its own: publish refuses to mail from the example's `.example` addresses over SMTP.
  let text = readFileSync(file, 'utf8')
    .replaceAll('stadslabbet.example', 'stadslabbet.test')
    .replace(
      /^ {2}delivery:\n(?: {4}.*\n?)*/m,
      `  delivery:\n${Object.entries(settings)
        .map(([k, v]) => `    ${k}: ${v}\n`)
        .join('')}`,
    );
  for (const [k, v] of Object.entries(newsletter))
    text = text.replace(new RegExp(`^ {2}${k}: .*$`, 'm'), `  ${k}: ${v}`);
  writeFileSync(file, text);
  const env = { SCS_SECRET: SECRET };
  const config = (extra: NodeJS.ProcessEnv = {}) =>
    loadConfig({ root: project.dir, env: { ...env, ...extra } });
  return {
    dir: project.dir,
    env,
    config,
    store: () => openStore(config()),
    async seed(listId, emails, given) {
      const store = given ?? (await openStore(config()));
      try {
        const now = new Date('2026-10-01T08:00:00Z');
        const consent = { source: 'import' as const, at: now, ip: null, detail: null, confirmedAt: now };
        const lang = config().newsletter.lists[listId]!.lang;
        return await store.subscribers.insertMany(
          emails.map((email, i) => ({
            subscriber: { email, name: `Reader ${i}`, lang, status: 'confirmed' as const, consent },
            lists: [{ listId, status: 'active' as const }],
          })),
          now,
        );
      } finally {
        if (!given) await store.close();
      }
    },
    cleanup: project.cleanup,
  };
}

export const readers = (n: number, prefix = 'reader', domain = 'example.com') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}@${domain}`);
