import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/promotion-harness.js';

// Issue 13, case 2: the worker refuses a request whose link no longer exists, even one approved before.
let h: Harness;

beforeAll(async () => {
  h = await startHarness('unlinked');
});
afterAll(() => h.stop());

describe('a request whose link was removed after its approval', () => {
  it('is superseded by the worker, with why, and makes no release', async () => {
    await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=1']);
    await h.control.deploy('myapp-staging', 'Approved, then unlinked');
    const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
      upstream: 'myapp-staging',
      requestKey: 'unlinked-1',
    });
    expect((await h.deps.promotionService.approve(h.actor('U0BOB'), p.id)).state).toBe('approved');
    // The link goes before any worker runs the queued job (removed in the store: as if in another process).
    await h.deps.stores.couplings.remove('T0ACME', 'myapp-staging');
    const releases = h.releasesOf('myapp').length;

    h.startWorker();
    const ended = await h.settle(p);
    expect([ended.state, ended.error]).toEqual([
      'superseded',
      'the link myapp-staging ---> myapp was removed since the request',
    ]);
    expect(h.releasesOf('myapp')).toHaveLength(releases);
  });
});
