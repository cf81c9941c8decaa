import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs } from '../helpers/scs.js';

const FILE = 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md';

describe('scs check runs the rules of the archive and the newsletter (the binary)', () => {
  let project: ReturnType<typeof exampleProject> | undefined;
  afterEach(() => project?.cleanup());

  it('reports a missing body image and an <img> without alt in a release publish will mail', () => {
    project = exampleProject();
    appendFileSync(path.join(project.dir, FILE), '\nSe ![](../images/saknas.jpg) och <img src=x>.\n');
    // An hour after the release came out: publish would mail it now.
    const r = runScs(['check', '--now', '2026-10-14T10:00', '--format', 'json'], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(1);
    const found = (
      JSON.parse(r.stdout) as { code: string; file: string; line: number; column: number }[]
    ).map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);
    const line = found[0]?.split(':')[1];
    expect(found).toEqual([
      `${FILE}:${line}:8 email-image-alt-missing`,
      `${FILE}:${line}:8 email-image-missing`,
      `${FILE}:${line}:8 site-image-missing`,
      `${FILE}:${line}:34 email-image-alt-missing`,
      `${FILE}:${line}:43 email-raw-url-invalid`,
    ]);
    // Long after, publish no longer mails it: the page's own rule still holds.
    const late = runScs(['check', '--now', '2027-01-01T10:00', '--format', 'json'], { cwd: project.dir });
    expect(late.code).toBe(1);
    expect((JSON.parse(late.stdout) as { code: string }[]).map((d) => d.code)).toEqual([
      'site-image-missing',
    ]);
  });
});
