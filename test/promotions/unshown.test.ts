import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReconciler } from '../../src/queue/start-workers.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';

// Issue 13, case 1, after a crash: a request opened from Slack runs only once its card is posted. If whoever was
// posting it died, the reconciler must not run it unseen; after a grace period it withdraws it.
let h: Harness;
let key = 0;
const ana = () => h.actor('U0ANA');
const held = () =>
  h.deps.promotionService.requestPromotion(ana(), { upstream: 'myapp-staging', requestKey: `u-${++key}`, hold: true });

beforeAll(async () => {
  h = await startHarness('unshown');
  await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
  h.startWorker();
});
afterAll(() => h?.stop());

describe('an approved request whose card was never posted', () => {
  it('is not run by the reconciler, and is withdrawn once its card is clearly not coming', async () => {
    const p = await held();
    const releases = h.releasesOf('myapp').length;
    expect(p.state).toBe('approved');

    expect(await runReconciler(h.deps)).toMatchObject({ requeued: 0, withdrawn: 0 });
    h.clock.advance(61_000);
    expect(await runReconciler(h.deps)).toMatchObject({ requeued: 0, withdrawn: 1 });
    const ended = await h.deps.promotionService.get('T0ACME', p.id);
    expect([ended.state, ended.error]).toEqual(['cancelled', 'its card was never posted']);
    expect(h.releasesOf('myapp')).toHaveLength(releases);
  });

  it('is run by the reconciler once its card is posted (its queueing was lost)', async () => {
    const p = await held();
    await h.deps.cards.places.set(p.id, { channelId: 'C0DEPLOY', ts: '1700000000.000100', shownRev: p.rev });
    expect(await runReconciler(h.deps)).toMatchObject({ requeued: 1, withdrawn: 0 });
    expect((await h.settle(p)).state).toBe('succeeded');
  });
});
