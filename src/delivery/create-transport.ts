import path from 'node:path';
import type { Config } from '../config/types.js';
import { createOutboxTransport, outboxDescription } from './outbox.js';
import { createSmtpTransport, smtpDescription } from './smtp-transport.js';
import { parseSmtpUrl } from './smtp-url.js';
import type { Transport } from './transport.js';

/** The file outbox's folder, `<stateDir>/outbox`, and how to show it. */
export const outboxDir = (config: Config) => {
  const dir = path.join(config.stateDir, 'outbox');
  return { dir, shown: path.relative(config.root, dir) + path.sep };
};

/** The transport the environment asks for, described without opening anything (for plans and dry runs). */
export function describeTransport(config: Config): Pick<Transport, 'kind' | 'description'> {
  if (config.env.smtpUrl)
    return { kind: 'smtp', description: smtpDescription(parseSmtpUrl(config.env.smtpUrl)) };
  return { kind: 'outbox', description: outboxDescription(outboxDir(config).shown) };
}

/**
 * The transport the config and environment ask for: SMTP when SCS_SMTP_URL is set, else the file outbox.
 * `concurrency` overrides `newsletter.delivery.concurrency` (connections at once).
 */
export function createTransport(config: Config, options: { concurrency?: number } = {}): Transport {
  const delivery = config.newsletter.delivery;
  if (config.env.smtpUrl) {
    return createSmtpTransport({
      server: parseSmtpUrl(config.env.smtpUrl),
      connections: options.concurrency ?? delivery.concurrency,
      messagesPerConnection: delivery.messagesPerConnection,
      timeoutMs: delivery.timeoutMs,
    });
  }
  const { dir, shown } = outboxDir(config);
  return createOutboxTransport(dir, shown);
}
