import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { parseCsv } from '../../src/subscribers/csv.js';
import { exportSubscribers } from '../../src/subscribers/export.js';
import { importSubscribers } from '../../src/subscribers/import.js';
import { subscriberProject, T0 } from './project.js';

// What a spreadsheet would run as a formula (OWASP "CSV injection").
const HOSTILE = [
  ['=cmd@example.com', '=HYPERLINK("http://evil.example","Click")'],
  ['+46701234567@example.com', '+SUM(1,2)'],
  ['-x@example.com', '-2+3'],
  ['at@example.com', '@SUM(A1)'],
  ['tab@example.com', '\t=1+1'],
  ['cr@example.com', '\r=1+1'],
] as const;

describe('exporting subscribers', () => {
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  beforeEach(async () => {
    p = await subscriberProject();
    await p.store.subscribers.insertMany(
      HOSTILE.map(([email, name]) => ({
        subscriber: {
          email,
          name,
          lang: 'sv',
          status: 'confirmed' as const,
          consent: { source: 'import' as const, at: T0, ip: null, detail: null, confirmedAt: T0 },
        },
        lists: [{ listId: 'nyheter', status: 'active' as const }],
      })),
      T0,
    );
  });
  afterEach(async () => await p.cleanup());

  const exported = async (format: 'csv' | 'json') =>
    (await collect(exportSubscribers(p.store, { format }))).join('');

  it('starts no CSV cell with a formula character (a leading apostrophe makes it text); JSON stays as stored', async () => {
    const [header, ...rows] = parseCsv(await exported('csv'), ',').map((r) => r.fields);
    expect(header!.slice(0, 2)).toEqual(['email', 'name']);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ["'=cmd@example.com", `'=HYPERLINK("http://evil.example","Click")`],
      ["'+46701234567@example.com", "'+SUM(1,2)"],
      ["'-x@example.com", "'-2+3"],
      ['at@example.com', "'@SUM(A1)"],
      ['tab@example.com', "'\t=1+1"],
      ['cr@example.com', "'\r=1+1"],
    ]);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // JSON is data, not a sheet: it stays as stored.
    const json = JSON.parse(await exported('json')) as { email: string; name: string }[];
    expect(json.map((s) => [s.email, s.name])).toEqual(HOSTILE.map(([e, n]) => [e, n]));
  });

  it('imports its own CSV back to the same addresses', async () => {
    const file = path.join(p.dir, 'backup.csv');
    writeFileSync(file, await exported('csv'));
    const report = await importSubscribers(p.config, p.store, { file, now: T0 });
    expect(report.invalid.map((d) => d.line)).toEqual([6, 7]);
    expect(report.unchanged.map((e) => e.email)).toEqual(HOSTILE.slice(0, 4).map(([e]) => e));
  });
});
