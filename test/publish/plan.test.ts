import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { checkReleases } from '../../src/content/load.js';
import type { Release } from '../../src/content/types.js';
import { planPublish } from '../../src/publish/plan.js';
import type { Dispatch } from '../../src/store/ledger-types.js';
import { BERGRUM_EN, BERGRUM_SV, DUE_DATE, newsroom, type Newsroom } from './newsroom.js';

const ELCYKEL = 'sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret';
const SKELLEFTEA = 'sv/skelleftea-testar-fossilfria-arbetsmaskiner-pa-byggarbetsplatser';

describe('what scs publish sends (the plan)', () => {
  let room: Newsroom;
  let config: Config;
  let releases: Release[];
  beforeAll(async () => {
    room = newsroom();
    const base = room.config();
    // A third list that only wants energy news.
    const energi = {
      id: 'energi',
      lang: 'sv',
      name: { sv: 'Energi', en: 'Energy' },
      topics: ['energi'],
      audience: 'public' as const,
    };
    config = { ...base, newsletter: { ...base.newsletter, lists: { ...base.newsletter.lists, energi } } };
    releases = (await checkReleases(config)).releases;
  });
  afterAll(() => room.cleanup());

  const dispatch = (releaseId: string, listId: string, state: Dispatch['state']): Dispatch => ({
    id: Math.floor(Math.random() * 1e6),
    releaseId,
    listId,
    lang: releaseId.slice(0, 2),
    transport: 'smtp',
    kind: 'newsletter',
    variant: '',
    detail: null,
    covers: null,
    subject: 's',
    releaseHash: 'h',
    state,
    pauseReason: null,
    total: 1,
    plannedAt: DUE_DATE,
    startedAt: null,
    finishedAt: null,
  });
  const pairs = (plan: ReturnType<typeof planPublish>) =>
    plan.dispatches.map((d) => `${d.release.id} → ${d.list.id}${d.existing ? ' (resume)' : ''}`);

  it('sends what has come due to every list of its language and topics, and nothing older than maxAge', () => {
    const plan = planPublish(config, releases, [], DUE_DATE);
    expect(pairs(plan)).toEqual([
      `${BERGRUM_EN} → news`,
      `${BERGRUM_SV} → nyheter`,
      `${BERGRUM_SV} → energi`,
    ]);
    expect(plan.tooOld).toEqual([ELCYKEL]);
    expect(plan.skipped).toEqual([]);
  });

  it('waits for the embargo, skips drafts, and lets topics pick the lists', () => {
    const before = planPublish(config, releases, [], new Date('2027-01-15T06:59:00Z'));
    expect(pairs(before)).toEqual([]);
    const after = planPublish(config, releases, [], new Date('2027-01-15T07:00:00Z'));
    expect(pairs(after)).toEqual([`${SKELLEFTEA} → nyheter`, `${SKELLEFTEA} → energi`]);
    // A month after the draft's date it is still a draft: never mailed.
    expect(pairs(planPublish(config, releases, [], new Date('2026-12-11T10:00:00Z')))).toEqual([]);
  });

  it('never mails a withdrawn release', () => {
    const withdrawn = releases.map((r) => (r.id === BERGRUM_SV ? { ...r, withdrawn: {} } : r));
    const plan = planPublish(config, withdrawn, [dispatch(BERGRUM_SV, 'nyheter', 'paused')], DUE_DATE);
    expect(pairs(plan)).toEqual([`${BERGRUM_EN} → news`]);
    // Its dispatch under way is not resumed either.
    expect(plan.skipped).toEqual([
      { releaseId: BERGRUM_SV, reason: 'release-withdrawn' },
      { releaseId: BERGRUM_SV, listId: 'nyheter', reason: 'withdrawn' },
    ]);
  });

  it('reports newsletter: false and releases no list takes', () => {
    const noMail = releases.map((r) => (r.id === BERGRUM_SV ? { ...r, newsletter: false } : r));
    const onlyEnergy = {
      ...config,
      newsletter: { ...config.newsletter, lists: { energi: config.newsletter.lists.energi! } },
    };
    expect(planPublish(config, noMail, [], DUE_DATE).skipped).toEqual([
      { releaseId: BERGRUM_SV, reason: 'newsletter-off' },
    ]);
    expect(planPublish(onlyEnergy, releases, [], DUE_DATE).skipped).toEqual([
      { releaseId: BERGRUM_EN, reason: 'no-list' },
    ]);
  });

  it('never starts a dispatch twice, resumes unfinished ones first, and names those it cannot resume', () => {
    const existing = [
      dispatch(BERGRUM_SV, 'nyheter', 'done'),
      dispatch(BERGRUM_SV, 'energi', 'paused'),
      dispatch(ELCYKEL, 'nyheter', 'open'),
      dispatch('sv/removed-since', 'nyheter', 'open'),
    ];
    const plan = planPublish(config, releases, existing, DUE_DATE);
    expect(pairs(plan)).toEqual([
      `${ELCYKEL} → nyheter (resume)`,
      `${BERGRUM_SV} → energi (resume)`,
      `${BERGRUM_EN} → news`,
    ]);
    expect(plan.skipped).toEqual([
      { releaseId: BERGRUM_SV, listId: 'nyheter', reason: 'already-sent' },
      { releaseId: 'sv/removed-since', listId: 'nyheter', reason: 'withdrawn' },
    ]);
    expect(plan.tooOld).toEqual([]);
  });

  describe('the press office’s mail', () => {
    const pressConfig = (): Config => ({
      ...config,
      newsletter: {
        ...config.newsletter,
        lists: {
          ...config.newsletter.lists,
          redaktioner: {
            id: 'redaktioner',
            lang: 'sv',
            name: { sv: 'R', en: 'R' },
            topics: [],
            audience: 'press',
          },
        },
      },
    });
    const correction = (day: string, text = `Rättat ${day}.`) => ({
      date: new Date(`${day}T00:00:00+02:00`),
      localDate: day,
      text,
      at: { line: 2, column: 3 },
    });
    const bergrum = (extra: Partial<Release>) => ({
      ...releases.find((r) => r.id === BERGRUM_SV)!,
      ...extra,
    });
    const press = (plan: ReturnType<typeof planPublish>) =>
      plan.dispatches
        .filter((d) => d.press)
        .map((d) => `${d.list.id} ${d.press!.kind} ${d.press!.variant}${d.existing ? ' (resume)' : ''}`);

    it('mails a correction the mailed version did not carry, once the mail it follows is finished', () => {
      const release = bergrum({ corrections: [correction('2026-10-15'), correction('2026-10-16')] });
      const mailed = { ...dispatch(BERGRUM_SV, 'nyheter', 'done'), covers: ['2026-10-15'] };
      const at = new Date('2026-10-17T10:00:00Z');
      const plan = planPublish(config, [release], [mailed], at);
      expect(press(plan)).toEqual(['nyheter correction 2026-10-16']);
      expect(plan.dispatches[0]!.press!.audienceOf).toBe(mailed);
      // Not dated yet, or its mail still under way: nothing.
      expect(press(planPublish(config, [release], [mailed], new Date('2026-10-15T21:00:00Z')))).toEqual([]);
      expect(press(planPublish(config, [release], [{ ...mailed, state: 'open' }], at))).toEqual([]);
      // Planned before: resumed when unfinished, never again when done.
      const sent = { ...mailed, id: mailed.id + 1, kind: 'correction' as const, variant: '2026-10-16' };
      expect(press(planPublish(config, [release], [mailed, { ...sent, state: 'open' }], at))).toEqual([
        'nyheter correction 2026-10-16 (resume)',
      ]);
      expect(press(planPublish(config, [release], [mailed, sent], at))).toEqual([]);
    });

    it('briefs press lists only from prebrief before the embargo until it, then the public lists get the newsletter', () => {
      const embargo = new Date('2026-10-20T08:00:00Z');
      const release = bergrum({ embargo, publishAt: embargo, prebrief: 2 * 3600_000 });
      const at = (iso: string) => planPublish(pressConfig(), [release], [], new Date(iso));
      expect(press(at('2026-10-20T05:59:00Z'))).toEqual([]);
      expect(press(at('2026-10-20T06:00:00Z'))).toEqual(['redaktioner briefing ']);
      expect(pairs(at('2026-10-20T06:00:00Z'))).toEqual([`${BERGRUM_SV} → redaktioner`]);
      const briefing = { ...dispatch(BERGRUM_SV, 'redaktioner', 'done'), kind: 'briefing' as const };
      const after = planPublish(pressConfig(), [release], [briefing], embargo);
      expect(pairs(after)).toEqual([`${BERGRUM_SV} → nyheter`, `${BERGRUM_SV} → energi`]);
      expect(after.skipped).toContainEqual({
        releaseId: BERGRUM_SV,
        listId: 'redaktioner',
        reason: 'briefed',
      });
    });

    it('tells the briefed once of a later embargo and of a withdrawal', () => {
      const embargo = new Date('2026-10-20T08:00:00Z');
      const briefing = {
        ...dispatch(BERGRUM_SV, 'redaktioner', 'done'),
        kind: 'briefing' as const,
        detail: embargo.toISOString(),
      };
      const later = new Date('2026-10-21T08:00:00Z');
      const moved = bergrum({ embargo: later, publishAt: later, prebrief: true });
      const now = new Date('2026-10-19T08:00:00Z');
      expect(press(planPublish(pressConfig(), [moved], [briefing], now))).toEqual([
        `redaktioner notice embargo:${later.toISOString()}`,
      ]);
      const told = { ...briefing, id: 7, kind: 'notice' as const, variant: `embargo:${later.toISOString()}` };
      expect(press(planPublish(pressConfig(), [moved], [briefing, told], now))).toEqual([]);
      const withdrawn = { ...moved, withdrawn: {} };
      expect(press(planPublish(pressConfig(), [withdrawn], [briefing, told], now))).toEqual([
        'redaktioner notice withdrawn',
      ]);
    });
  });
});
