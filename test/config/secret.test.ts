import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resolveSecret } from '../../src/config/secret.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { exampleProject } from '../helpers/scs.js';

const SECRET = 'a-test-secret-that-is-long-enough';

describe('resolveSecret', () => {
  const projects: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const p of projects.splice(0)) p.cleanup();
  });
  const configFor = (env: NodeJS.ProcessEnv) => {
    const p = exampleProject();
    projects.push(p);
    return loadConfig({ root: p.dir, env });
  };

  it('uses SCS_SECRET when set, and writes no key file', () => {
    const config = configFor({ SCS_SECRET: SECRET });
    expect(resolveSecret(config)).toEqual({ secret: SECRET, generated: false, created: false });
    expect(() => statSync(path.join(config.stateDir, 'secret'))).toThrow();
  });

  it('generates a key once, private to the user, and reuses it', () => {
    const config = configFor({});
    const first = resolveSecret(config);
    expect(first).toMatchObject({
      generated: true,
      created: true,
      file: path.join(config.stateDir, 'secret'),
    });
    expect(first.secret.length).toBeGreaterThanOrEqual(40);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8').trim()).toBe(first.secret);
    expect(resolveSecret(config)).toEqual({ ...first, created: false });
  });

  it('refuses a short SCS_SECRET and an empty key file with a clear error', () => {
    expect(() => resolveSecret(configFor({ SCS_SECRET: 'short' }))).toThrow(/at least 16/);
    const config = configFor({});
    resolveSecret(config);
    writeFileSync(path.join(config.stateDir, 'secret'), '\n');
    try {
      resolveSecret(config);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScsError);
      expect((e as ScsError).diagnostics[0]!.code).toBe('secret-too-short');
    }
  });
});
