import { expect } from 'vitest';
import type { LedgerRepo } from '../../src/store/ledger-types.js';

/**
 * The ledger's basic contract, walked through on a dispatch planned to four readers (reader0000…0003):
 * claims take only pending rows, and outcomes, retries and skips are recorded. Leaves `a` sent, `b`
 * waiting for a retry at `at(1000)`, `c` skipped and `e` in flight (`sending`, Message-ID `<e@x>`).
 * Shared by the backend-neutral suite and PostgreSQL's leased worker.
 */
export async function claimAndRecord(
  ledger: LedgerRepo,
  dispatchId: number,
  T: Date,
  at: (ms: number) => Date,
): Promise<void> {
  const d = { id: dispatchId };
  const [a, b, c, e] = await ledger.due(d.id, 4, T);
  expect(
    await ledger.record(
      d.id,
      [],
      [
        { subscriberId: a!.subscriberId, messageId: '<a@x>' },
        { subscriberId: b!.subscriberId, messageId: '<b@x>' },
      ],
      T,
    ),
  ).toEqual([a!.subscriberId, b!.subscriberId]);
  // A second claim of the same rows claims nothing: nobody can be sent twice.
  expect(await ledger.record(d.id, [], [{ subscriberId: a!.subscriberId, messageId: '<a2@x>' }], T)).toEqual(
    [],
  );
  expect((await ledger.due(d.id, 4, T)).map((r) => r.subscriberId)).toEqual([
    c!.subscriberId,
    e!.subscriberId,
  ]);
  await ledger.record(
    d.id,
    [
      { subscriberId: a!.subscriberId, status: 'sent', attempts: 1, reply: '250 ok' },
      {
        subscriberId: b!.subscriberId,
        status: 'pending',
        attempts: 1,
        reply: '451 later',
        retryAt: at(1000),
      },
      { subscriberId: c!.subscriberId, status: 'skipped', attempts: 0, reply: 'gone' },
    ],
    [{ subscriberId: e!.subscriberId, messageId: '<e@x>' }],
    T,
  );
  expect(await ledger.counts(d.id)).toMatchObject({ sent: 1, pending: 1, skipped: 1, sending: 1 });
  expect(await ledger.due(d.id, 4, at(999))).toEqual([]);
  expect(await ledger.nextRetryAt(d.id)).toEqual(at(1000));
  expect((await ledger.due(d.id, 4, at(1000))).map((r) => [r.subscriberId, r.attempts])).toEqual([
    [b!.subscriberId, 1],
  ]);
  expect(await ledger.problems(d.id, 5)).toMatchObject([
    { email: 'reader0001@example.com', status: 'pending', reply: '451 later', attempts: 1 },
  ]);
}
