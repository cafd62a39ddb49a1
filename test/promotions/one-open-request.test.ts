import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../src/mongo/ensure-indexes.js';
import type { Promotion } from '../../src/promotions/promotion.js';
import { recordTransition } from '../../src/promotions/record-transition.js';
import { aPromotion, pinnedRelease } from '../support/a-promotion.js';
import { startTestDeps } from '../support/test-deps.js';

// One open request per change (upstream release, downstream build), kept by a unique index, whoever races.
let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('oneopen');
});
afterAll(() => t?.stop());

const change = (n: number, source = 7): Promotion =>
  aPromotion({ id: `open-${source}-${n}`, requestKey: `key-${source}-${n}`, source: pinnedRelease(source) });

describe('opening requests for the same change', () => {
  it('lets one of ten simultaneous requests open; the others get it back as already open', async () => {
    const store = t.deps.stores.promotions;
    const opened = await Promise.all(Array.from({ length: 10 }, (_, n) => store.insertOnce(change(n))));
    const created = opened.filter((o) => o.created);
    expect(created).toHaveLength(1);
    const winner = created[0]?.promotion.id;
    expect(opened.filter((o) => o.alreadyOpen).map((o) => o.promotion.id)).toEqual(Array(9).fill(winner));
  });

  it('opens a new request for the change once the open one has ended', async () => {
    const store = t.deps.stores.promotions;
    const first = (await store.insertOnce(change(0, 8))).promotion;
    expect((await store.insertOnce(change(1, 8))).alreadyOpen).toBe(true);
    await recordTransition(t.deps.engine, first, { state: 'rejected' }, { type: 'rejected', by: 'U0BOB' });
    const next = await store.insertOnce(change(2, 8));
    expect([next.created, next.promotion.id]).toEqual([true, 'open-8-2']);
    // A different change of the same link is its own request.
    expect((await store.insertOnce(change(3, 9))).created).toBe(true);
  });

  it('gives requests stored before the key existed one, so the unique index can be built', async () => {
    const promotions = t.deps.db.collection('promotions');
    await promotions.dropIndex('open_key');
    await promotions.insertMany([
      { _id: 'legacy-1', teamId: 'T0ACME', requestKey: 'legacy-1', state: 'succeeded' },
      { _id: 'legacy-2', teamId: 'T0ACME', requestKey: 'legacy-2', state: 'expired' },
    ] as never[]);
    await ensureIndexes(t.deps.db);
    const keys = await promotions.find({ _id: { $in: ['legacy-1', 'legacy-2'] } } as never).toArray();
    expect(keys.map((d) => d.openKey)).toEqual(['legacy-1', 'legacy-2']);
  });
});
