import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeFingerprint, hashCodeTree, hashScs } from '../../src/cache/fingerprint.js';
import { REPO, tempDir } from '../helpers/scs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the code fingerprint', () => {
  it('changes with any code file below the root, and only with code', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    mkdirSync(path.join(t.dir, 'content'));
    writeFileSync(path.join(t.dir, 'content/parse.js'), 'export const rule = 1;\n');
    writeFileSync(path.join(t.dir, 'index.js'), 'export {};\n');
    const first = hashCodeTree(t.dir);
    expect(hashCodeTree(t.dir)).toBe(first);

    // Type declarations, source maps and other files shape no result.
    writeFileSync(path.join(t.dir, 'content/parse.d.ts'), 'export declare const rule: number;\n');
    writeFileSync(path.join(t.dir, 'content/parse.js.map'), '{}');
    writeFileSync(path.join(t.dir, 'notes.txt'), 'x');
    expect(hashCodeTree(t.dir)).toBe(first);

    // A rule changed in a nested module, a module added, a module renamed: each a new fingerprint.
    writeFileSync(path.join(t.dir, 'content/parse.js'), 'export const rule = 2;\n');
    const edited = hashCodeTree(t.dir);
    expect(edited).not.toBe(first);
    writeFileSync(path.join(t.dir, 'content/vendor.cjs'), 'module.exports = 1;\n');
    const added = hashCodeTree(t.dir);
    expect(added).not.toBe(edited);
    renameSync(path.join(t.dir, 'content/vendor.cjs'), path.join(t.dir, 'content/vendor2.cjs'));
    expect(hashCodeTree(t.dir)).not.toBe(added);
  });

  it('covers the built-in templates as well as the code', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    mkdirSync(path.join(t.dir, 'src'));
    mkdirSync(path.join(t.dir, 'templates/site/layouts'), { recursive: true });
    writeFileSync(path.join(t.dir, 'src/index.js'), 'export {};\n');
    writeFileSync(path.join(t.dir, 'templates/site/layouts/page.hbs'), '<main>{{body}}</main>\n');
    const first = hashScs(path.join(t.dir, 'src'), path.join(t.dir, 'templates'));
    writeFileSync(path.join(t.dir, 'templates/site/layouts/page.hbs'), '<main class="x">{{body}}</main>\n');
    expect(hashScs(path.join(t.dir, 'src'), path.join(t.dir, 'templates'))).not.toBe(first);
  });

  it('is, run from the sources, the hash of every source file and template; a build writes that of what it built', () => {
    expect(codeFingerprint()).toBe(hashScs(path.join(REPO, 'src'), path.join(REPO, 'templates')));
    // `npm run build` (which the end-to-end tests need) ends by writing it.
    expect(readFileSync(path.join(REPO, 'dist/code-fingerprint'), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });
});
