import path from 'node:path';
import type { Config } from '../config/types.js';
import { createOutboxTransport } from './outbox.js';
import { createSmtpTransport } from './smtp-transport.js';
import { parseSmtpUrl } from './smtp-url.js';
import type { Transport } from './transport.js';

/** Which transport the environment asks for, without opening anything (for plans and dry runs). */
export function transportKind(config: Config): Transport['kind'] {
  return config.env.smtpUrl ? 'smtp' : 'outbox';
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
  const dir = path.join(config.stateDir, 'outbox');
  return createOutboxTransport(dir, path.relative(config.root, dir) + path.sep);
}
