import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Promotion } from '../../src/promotions/promotion.js';
import { recordTransition } from '../../src/promotions/record-transition.js';
import { createCardPlaces } from '../../src/slack/card-places.js';
import { aPromotion, pinnedRelease } from '../support/a-promotion.js';
import { startTestDeps } from '../support/test-deps.js';

// FerretDB rewrites a whole document on update, so two writers updating one request at once can undo each
// other. The card's place is written while the engine may be moving the request: neither may be lost.
let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('cardtransition');
});
afterAll(() => t?.stop());

function request(id: string, version: number): Promotion {
  const at = new Date();
  return aPromotion({
    id,
    requestKey: `key-${id}`,
    // Each its own change: one open request per change.
    source: pinnedRelease(version),
    downstreamAtRequest: pinnedRelease(1),
    createdAt: at,
    expiresAt: new Date(at.getTime() + 3_600_000),
    policy: { approvals: 0, users: [], groups: [], selfApproval: false },
    state: 'approved',
  });
}

describe('a card posted while the request moves', () => {
  it('keeps both the transition and the card, 60 times out of 60', async () => {
    const store = t.deps.stores.promotions;
    const places = createCardPlaces(t.deps.db);
    for (let round = 0; round < 60; round++) {
      const { promotion } = await store.insertOnce(request(`p-${round}`, round + 2));
      await Promise.all([
        recordTransition(t.deps.engine, promotion, { state: 'running' }, { type: 'running' }),
        places.set(promotion.id, { channelId: 'C0DEPLOY', ts: `1700000000.${round}`, shownRev: 0 }),
      ]);
      const after = await store.getById(promotion.id);
      const place = await places.of(promotion.id);
      expect([after?.state, after?.rev, place?.ts]).toEqual(['running', 1, `1700000000.${round}`]);
    }
  });
});
