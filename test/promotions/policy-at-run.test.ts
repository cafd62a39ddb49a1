import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';

// Issue 13, case 4, at run time: an approved request waiting for a worker runs only if its approvals satisfy the
// policy in force when the worker takes it (a policy change that reached no card still counts).
let h: Harness;
beforeAll(async () => {
  h = await startHarness('policyrun');
});
afterAll(() => h?.stop());

describe('an approved request whose policy tightened before it ran', () => {
  it('goes back to waiting for the approvals it now needs, and writes no release', async () => {
    const ana = h.actor('U0ANA');
    await h.deps.appSettings.policy(ana, 'myapp', ['approvals=1']);
    const p = await h.deps.promotionService.requestPromotion(ana, { upstream: 'myapp-staging', requestKey: 'run-1' });
    expect((await h.deps.promotionService.approve(h.actor('U0BOB'), p.id)).state).toBe('approved');
    // Changed around the command (no card was re-rendered): only the engine's check stands in the way.
    await h.deps.appSettings.policy(ana, 'myapp', ['approvals=2', 'approvers=<@U0DAVE>']);
    const releases = h.releasesOf('myapp').length;

    h.startWorker();
    const back = await waitFor('the engine to look', async () => {
      const now = await h.deps.promotionService.get('T0ACME', p.id);
      return now.state === 'pending_approval' ? now : undefined;
    });
    expect(back).toMatchObject({
      approvals: [],
      policy: { approvals: 2, users: ['U0DAVE'] },
      policyChange: { by: 'system', dropped: ['U0BOB'] },
    });
    expect(h.releasesOf('myapp')).toHaveLength(releases);
    // Dave and one more current approver: only Dave is one, so it waits; Bob's click is refused.
    await expect(h.deps.promotionService.approve(h.actor('U0BOB'), p.id)).rejects.toThrow(
      'You are not one of the approvers for myapp.',
    );
  });
});
