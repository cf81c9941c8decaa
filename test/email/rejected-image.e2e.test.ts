import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gpsJpeg } from '../assets/images.js';
import { runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, newsroom, type Newsroom } from '../publish/newsroom.js';
import { unpublishedReferences } from '../site/helpers.js';
import { parse } from './helpers.js';

const BERGRUM = 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md';

/** A JPEG whose header is whole (so `scs check` passes it) but whose pixels stop half-way. */
async function cutShort(dir: string, name: string): Promise<void> {
  const whole = await gpsJpeg(600, 400);
  writeFileSync(path.join(dir, 'releases/images', name), whole.subarray(0, whole.length >> 1));
}

describe('an image the pipeline rejected is left out of the email, as of the page', () => {
  let room: Newsroom;
  afterEach(() => room?.cleanup());
  const scs = (args: string[]) => runScsAsync(args, { cwd: room.dir, env: room.env });

  it('scs publish sends nothing, then scs send and scs email link no rejected image, only published files', async () => {
    room = newsroom();
    await room.seed('nyheter', ['reader@example.com']);
    await cutShort(room.dir, 'avhuggen.jpg');
    const file = path.join(room.dir, BERGRUM);
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}\n![Bergrummet i genomskärning](../images/avhuggen.jpg)\n\n` +
        '[![Schaktet från ovan](../images/avhuggen.jpg)](https://example.org/schakt)\n',
    );
    expect((await scs(['check'])).code).toBe(0);

    // The build finds the image cut short: the page goes out without it, the newsletter not at all.
    const published = await scs(['publish', '--now', DUE]);
    expect(published.code).toBe(1);
    expect(published.stderr).toContain('image-corrupt');
    expect(published.stderr).toContain('nothing was sent');

    const sent = await scs(['send', BERGRUM_SV, '--list', 'nyheter', '--now', DUE]);
    expect(sent.code, sent.stderr).toBe(0);
    const outbox = path.join(room.dir, '.scs/outbox');
    const [eml] = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    const email = runScsAsync(['email', BERGRUM_SV, '--out', 'mejl', '--now', DUE], {
      cwd: room.dir,
      env: room.env,
    });
    const inspected = await email;
    expect(inspected.code, inspected.stderr).toBe(0);
    const sample = readdirSync(path.join(room.dir, 'mejl')).find((f) => f.endsWith('.eml'))!;
    for (const raw of [path.join(outbox, eml!), path.join(room.dir, 'mejl', sample)]) {
      const mail = await parse(readFileSync(raw));
      const html = String(mail.html);
      const text = String(mail.text);
      expect(html + text).not.toContain('avhuggen');
      // Its alt text stays, as plain text (inside its link, as the link's text), not as an image.
      expect(html).toContain('Bergrummet i genomskärning');
      expect(html).toMatch(/<a [^>]*href="https:\/\/example\.org\/schakt"[^>]*>Schaktet från ovan<\/a>/);
      expect(text).toContain('Bergrummet i genomskärning');
      expect(text).not.toContain('Bild: Bergrummet');
      // The good hero is there, and every image (and link) into the site names a published file.
      expect(html).toMatch(/<img\s[^>]*src="[^"]*\/assets\/images\/bergrum-[0-9a-f]{10}-600\.jpg"/);
      expect(unpublishedReferences(room.dir, html)).toEqual([]);
    }
  });

  it('leaves out a hero the pipeline rejected', async () => {
    room = newsroom();
    await cutShort(room.dir, 'bergrum.jpg');
    expect((await scs(['build', '--now', DUE])).code).toBe(1);
    const inspected = await scs(['email', BERGRUM_SV, '--out', 'mejl', '--now', DUE]);
    expect(inspected.code, inspected.stderr).toBe(0);
    const sample = readdirSync(path.join(room.dir, 'mejl')).find((f) => f.endsWith('.eml'))!;
    const mail = await parse(readFileSync(path.join(room.dir, 'mejl', sample)));
    expect(String(mail.html)).not.toContain('bergrum.jpg');
    expect(String(mail.html)).not.toMatch(/<img\s[^>]*bergrum/);
    expect(String(mail.text)).not.toContain('Tunnelingången');
    expect(unpublishedReferences(room.dir, String(mail.html))).toEqual([]);
  });
});
