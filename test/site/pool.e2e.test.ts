import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs } from '../helpers/scs.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The example newsroom built with `args`: the result as JSON, and every file of the output. */
function build(args: string[], env: NodeJS.ProcessEnv = {}) {
  const p = exampleProject();
  cleanups.push(p.cleanup);
  const r = runScs(['build', '--now', '2026-11-01T12:00', '--no-search', '--json', ...args], {
    cwd: p.dir,
    env,
  });
  const out = path.join(p.dir, 'public');
  const files = Object.fromEntries(
    readdirSync(out, { recursive: true, withFileTypes: true })
      // .scs-output names the project folder, which differs.
      .filter((e) => e.isFile() && e.name !== '.scs-output')
      .map((e) => {
        const abs = path.join(e.parentPath, e.name);
        return [path.relative(out, abs), readFileSync(abs, 'utf8')];
      }),
  );
  return { code: r.code, result: JSON.parse(r.stdout), files };
}

describe('scs build on rendering threads (the real binary)', () => {
  it('renders the pages of a thread that dies itself, and names the page it was on', () => {
    const one = build(['--threads', '1']);
    // The example's pages make one batch, which goes to the thread.
    const crashed = build(['--threads', '2'], { SCS_TEST_WORKER_CRASH: 'sv/index.html' });
    expect(one.code).toBe(0);
    expect(crashed.code).toBe(0);
    expect(one.result.diagnostics).toEqual([]);
    expect(crashed.result.diagnostics).toEqual([
      expect.objectContaining({ code: 'worker-failed', severity: 'warning', file: 'public/sv/index.html' }),
    ]);
    expect(Object.keys(crashed.files).length).toBeGreaterThan(40);
    expect(crashed.files).toEqual(one.files);
  });
});
