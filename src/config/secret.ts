import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fatal } from '../core/catalogue/index.js';
import { makePrivateDir } from '../core/private-dir.js';
import type { Config } from './types.js';

export interface ResolvedSecret {
  secret: string;
  /** True when the key is the one scs generated and keeps in `<stateDir>/secret` (no SCS_SECRET set). */
  generated: boolean;
  /** True when that key was created by this very call (first run). */
  created: boolean;
  /** The key file, when the key comes from one. */
  file?: string;
}

const MIN_SECRET_LENGTH = 16;

/**
 * The key for tokens and suppression hashes: SCS_SECRET when set, otherwise a random key generated once
 * and kept in `<stateDir>/secret` (mode 0600), so that a fresh project works without any setup.
 */
export function resolveSecret(config: Config): ResolvedSecret {
  const fromEnv = config.env.secret;
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      throw fatal(2, 'secret-too-short', { length: fromEnv.length, min: MIN_SECRET_LENGTH });
    }
    return { secret: fromEnv, generated: false, created: false };
  }
  const file = path.join(config.stateDir, 'secret');
  const existing = readSecretFile(file);
  if (existing !== undefined) return { secret: existing, generated: true, created: false, file };
  makePrivateDir(config.stateDir);
  const secret = randomBytes(32).toString('base64url');
  // Written under a private name, then linked into place: link() fails if the file exists, so two
  // processes starting at once agree on one key, and nobody ever reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
    linkSync(tmp, file);
    return { secret, generated: true, created: true, file };
  } catch (e) {
    const raced = (e as NodeJS.ErrnoException).code === 'EEXIST' ? readSecretFile(file) : undefined;
    if (raced !== undefined) return { secret: raced, generated: true, created: false, file };
    throw fatal(2, 'secret-unwritable', { keyFile: file, reason: (e as Error).message });
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fatal(2, 'secret-unreadable', { keyFile: file, reason: (e as Error).message });
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw fatal(2, 'secret-too-short', { keyFile: file });
  }
  return secret;
}
