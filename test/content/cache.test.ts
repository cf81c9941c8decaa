import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { checkReleases } from '../../src/content/load.js';
import { exampleProject } from '../helpers/scs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the release cache', () => {
  it('reuses unchanged files and never returns a stale result', () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    // Bodies are read back from the files on a hit: include a BOM, CRLF lines and a derived lead.
    writeFileSync(
      path.join(p.dir, 'releases/crlf.md'),
      '\uFEFF---\r\ntitle: Radslut\r\ndate: 2026-01-10\r\n---\r\n\r\nIngress.\r\n\r\n\r\n  Indraget stycke.\r\n',
    );
    const first = checkReleases(config);
    expect(first.releases.find((r) => r.slug === 'radslut')!.body).toBe('  Indraget stycke.\r\n');
    expect(first.diagnostics).toEqual([]);
    expect(existsSync(path.join(p.dir, '.scs/cache/releases.bin'))).toBe(true);
    // Same answer from the cache, Dates and all.
    const again = checkReleases(config);
    expect(again.releases).toEqual(first.releases);

    // An edited file is read again.
    const file = path.join(p.dir, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
    appendFileSync(file, '\n– Ett nytt citat utan talare.\n');
    expect(checkReleases(config).diagnostics.map((d) => d.code)).toEqual(['quote-unattributed']);

    // A referenced image that disappears is noticed although the release itself did not change.
    const image = path.join(p.dir, 'releases/images/elcyklar.jpg');
    renameSync(image, `${image}.bak`);
    expect(checkReleases(config).diagnostics.map((d) => d.code)).toContain('image-missing');
    renameSync(`${image}.bak`, image);
    expect(checkReleases(config).diagnostics.map((d) => d.code)).not.toContain('image-missing');

    // Another config means other results (here: the topic is no longer known).
    writeFileSync(
      path.join(p.dir, 'scs.config.yml'),
      readFileSync(path.join(p.dir, 'scs.config.yml'), 'utf8').replace(
        '  mobilitet: { sv: Mobilitet, en: Mobility }\n',
        '',
      ),
    );
    const changed = loadConfig({ root: p.dir, env: {} });
    expect(checkReleases(changed).diagnostics.map((d) => d.code)).toContain('topic-unknown');
  });
});
