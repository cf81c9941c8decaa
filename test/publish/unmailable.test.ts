import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScsAsync } from '../helpers/scs.js';
import { BERGRUM_EN, BERGRUM_SV, DUE, newsroom, readers, type Newsroom } from './newsroom.js';

/** Every file below `dir` whose path contains `part`. */
function filesWith(dir: string, part: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes(part));
}

describe('scs publish with a due release that cannot be mailed (the binary)', () => {
  let room: Newsroom;
  afterEach(async () => room?.cleanup());

  it('publishes and sends the others, and leaves that one unpublished with exit code 1', async () => {
    room = newsroom();
    await room.seed('nyheter', readers(3));
    await room.seed('news', ['english@example.com']);
    // The English version names an image that is not there: its newsletter cannot be rendered.
    appendFileSync(
      path.join(room.dir, 'releases/2026/2026-10-14-umea-stores-summer-heat-in-old-rock-caverns.en.md'),
      '\n![The cavern](../images/missing-cavern.jpg)\n',
    );
    // A dry run says so too, and writes nothing.
    const dry = await runScsAsync(['publish', '--dry-run', '--now', DUE], { cwd: room.dir, env: room.env });
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toContain(`${BERGRUM_EN} → news`);
    expect(dry.stdout).toContain('its newsletter could not be rendered, so the release is not published');
    expect(existsSync(path.join(room.dir, 'public'))).toBe(false);

    const r = await runScsAsync(['publish', '--now', DUE], { cwd: room.dir, env: room.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain(`${BERGRUM_EN} → news`);
    expect(r.stdout + r.stderr).toContain(
      'its newsletter could not be rendered, so the release is not published',
    );
    expect(r.stderr).toMatch(
      /umea-stores-summer-heat-in-old-rock-caverns\.en\.md:\d+:\d+ .*missing-cavern\.jpg.*\[email-image-missing\]/,
    );
    // The good one is built and sent; nothing of the broken one is published.
    expect(r.stdout).toContain(`${BERGRUM_SV} → nyheter (3 recipients, outbox): 3 sent`);
    const site = path.join(room.dir, 'public');
    expect(filesWith(site, 'umea-lagrar-sommarvarme-i-gamla-bergrum').length).toBeGreaterThan(0);
    expect(filesWith(site, 'umea-stores-summer-heat-in-old-rock-caverns')).toEqual([]);
    const outbox = path.join(room.dir, '.scs', 'outbox');
    expect(existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : []).toHaveLength(3);
  });
});
