import { afterEach, describe, expect, it } from 'vitest';
import { runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, newsroom, type Newsroom } from './newsroom.js';

// `--workers` on PostgreSQL: test/delivery/postgres-reliability.e2e.test.ts.
describe('scs send --workers', () => {
  let room: Newsroom | undefined;
  afterEach(() => room?.cleanup());

  it('refuses on SQLite, with a hint, and sends nothing', async () => {
    room = newsroom();
    const r = await runScsAsync(['send', BERGRUM_SV, '--now', DUE, '--workers', '4'], {
      cwd: room.dir,
      env: room.env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers 4 needs the PostgreSQL store');
    expect(r.stderr).toContain('send-workers-sqlite');
    expect(r.stdout).toBe('');
  });

  it('refuses a count that is not a whole number from 1 to 64', async () => {
    room = newsroom();
    const r = await runScsAsync(['send', BERGRUM_SV, '--workers', '0'], { cwd: room.dir, env: room.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give a whole number from 1 to 64');
  });
});
