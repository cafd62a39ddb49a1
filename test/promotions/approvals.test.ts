import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/errors.js';
import type { Promotion } from '../../src/promotions/promotion.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';

let h: Harness;
let key = 0;
const ana = () => h.actor('U0ANA');
const bob = () => h.actor('U0BOB');
const request = (upstream = 'myapp-staging', actor = ana()) =>
  h.deps.promotionService.requestPromotion(actor, { upstream, requestKey: `req-${++key}` });
const settle = (p: Promotion) => h.settle(p);
const policy = (...args: string[]) => h.deps.appSettings.policy(ana(), 'myapp', args);
/** Puts production back on the release staging was promoted from, so every test starts 2 commits behind. */
let baseline = '';

beforeAll(async () => {
  h = await startHarness('approvals');
  h.startWorker();
  baseline = h.releasesOf('myapp').at(-1)?.slugId ?? '';
});
afterAll(() => h.stop());
beforeEach(async () => {
  // One open request per change: what an earlier test left open would answer for this one.
  for (const open of await h.deps.stores.promotions.openInto('myapp')) {
    await h.deps.promotionService.cancel(h.actor(open.requestedBy), open.id);
  }
  await policy('approvals=1', 'approvers=anyone', 'self-approval=off', 'expires=24h');
  if (h.releasesOf('myapp').at(-1)?.slugId !== baseline) {
    await h.deps.ports.platform.createRelease('myapp', { slug: baseline, description: 'reset for the next test' });
  }
});

describe('promotion requests', () => {
  it("pin staging's release and production's, with the diff shown; a repeated request key maps to one record", async () => {
    const first = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: 'same-click',
    });
    const again = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: 'same-click',
    });
    expect(again.id).toBe(first.id);
    const staging = h.releasesOf('myapp-staging').at(-1);
    expect(first).toMatchObject({
      state: 'pending_approval',
      kind: 'promotion',
      upstream: 'myapp-staging',
      downstream: 'myapp',
      requestedBy: 'U0ANA',
      source: { id: staging?.id, version: 3, slugId: staging?.slugId, commit: expect.stringMatching(/^[0-9a-f]{40}$/) },
      downstreamAtRequest: { slugId: baseline },
      diff: { aheadBy: 2, behindBy: 0, partial: false, hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
      policy: { approvals: 1, selfApproval: false },
    });
    expect(first.diff?.commits.map((c) => c.message)).toEqual(['Add the audit log', 'A super important fix']);
    const audited = await h.deps.db.collection('audit').countDocuments({ promotionId: first.id });
    expect(audited).toBe(1);
  });

  it('refuses self-approval and non-approvers, with the reason, and records nothing', async () => {
    await policy('approvers=<@U0BOB>,<!subteam^S0SRE>');
    const p = await request();
    await expect(h.deps.promotionService.approve(ana(), p.id)).rejects.toThrow(
      new RefusedError(
        'You requested this promotion, so someone else must approve it (self-approval is off for myapp).',
      ),
    );
    await expect(h.deps.promotionService.approve(h.actor('U0EVE'), p.id)).rejects.toThrow(
      'You are not one of the approvers for myapp.',
    );
    expect(await h.deps.promotionService.get(p.teamId, p.id)).toMatchObject({
      state: 'pending_approval',
      approvals: [],
      rev: 0,
    });
  });

  it('lets the requester approve when self-approval is on', async () => {
    await policy('self-approval=on');
    const p = await request();
    expect((await h.deps.promotionService.approve(ana(), p.id)).state).toBe('approved');
    expect((await settle(p)).state).toBe('succeeded');
  });

  it('needs two distinct approvers for 2-of-N; a group member counts; a second click by the same person does not', async () => {
    await policy('approvals=2', 'approvers=<@U0BOB>,<!subteam^S0SRE>');
    const p = await request();
    const once = await h.deps.promotionService.approve(bob(), p.id);
    expect(once).toMatchObject({ state: 'pending_approval', approvals: [{ userId: 'U0BOB' }] });
    const twice = await h.deps.promotionService.approve(bob(), p.id);
    expect(twice).toMatchObject({ state: 'pending_approval', rev: once.rev });
    const before = h.releasesOf('myapp').length;
    expect((await h.deps.promotionService.approve(h.actor('U0SRE1'), p.id)).state).toBe('approved');
    const done = await settle(p);
    expect(done).toMatchObject({ state: 'succeeded', result: { version: before + 1 } });
    const release = h.releasesOf('myapp').at(-1);
    expect(h.releasesOf('myapp')).toHaveLength(before + 1);
    expect(release).toMatchObject({
      slugId: p.source.slugId,
      description: `Promote myapp-staging v3 ${p.source.commit?.slice(0, 7)}`,
    });
  });

  it('turns 10 simultaneous approvals into one approval and one release', async () => {
    const p = await request();
    const before = h.releasesOf('myapp').length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.deps.promotionService.approve(bob(), p.id)));
    expect(answers.every((a) => a.approvals.length === 1)).toBe(true);
    expect((await settle(p)).state).toBe('succeeded');
    expect(h.releasesOf('myapp')).toHaveLength(before + 1);
    const approvals = await h.deps.db
      .collection('audit')
      .countDocuments({ promotionId: p.id, action: 'promotion.approved' });
    expect(approvals).toBe(1);
  });

  it('refuses an approval after a rejection, and keeps the reason', async () => {
    const p = await request();
    const rejected = await h.deps.promotionService.reject(bob(), p.id, 'not during the sale');
    expect(rejected).toMatchObject({ state: 'rejected', rejection: { by: 'U0BOB', reason: 'not during the sale' } });
    await expect(h.deps.promotionService.approve(h.actor('U0CAROL'), p.id)).rejects.toThrow(
      'This request was rejected; there is nothing to approve.',
    );
  });

  it('expires a pending request after its expiry, and refuses approving it then', async () => {
    await policy('expires=30m');
    const p = await request();
    h.clock.advance(31 * 60_000);
    expect(await h.deps.promotionService.expireStale()).toBeGreaterThanOrEqual(1);
    expect((await h.deps.promotionService.get(p.teamId, p.id)).state).toBe('expired');
    await expect(h.deps.promotionService.approve(bob(), p.id)).rejects.toThrow(
      'This request has expired; there is nothing to approve.',
    );
  });

  it('supersedes a request whose downstream moved before it ran, without writing a release', async () => {
    const p = await request();
    const hotfix = await h.control.deploy('myapp', 'hotfix straight to production');
    const before = h.releasesOf('myapp').length;
    await h.deps.promotionService.approve(bob(), p.id);
    const done = await settle(p);
    const sha = hotfix.slug.commit.slice(0, 7);
    const said = `myapp got v${hotfix.release.version} (Deploy ${sha}) since this was requested`;
    expect(done).toMatchObject({ state: 'superseded', error: said });
    expect(h.releasesOf('myapp')).toHaveLength(before);
  });

  it('promotes what was approved, not a newer staging release made afterwards', async () => {
    const p = await request();
    await h.control.deploy('myapp-staging', 'unreviewed change');
    await h.deps.promotionService.approve(bob(), p.id);
    expect((await settle(p)).state).toBe('succeeded');
    expect(h.releasesOf('myapp').at(-1)?.slugId).toBe(p.source.slugId);
    expect(h.releasesOf('myapp-staging').at(-1)?.slugId).not.toBe(p.source.slugId);
  });

  it('runs at once when the policy needs no approval', async () => {
    await policy('approvals=0');
    const p = await request('myapp-staging');
    expect(p.state).toBe('approved');
    expect((await settle(p)).state).toBe('succeeded');
  });

  it('lets the requester cancel before it runs, and nobody else', async () => {
    const p = await request();
    await expect(h.deps.promotionService.cancel(bob(), p.id)).rejects.toThrow(
      'Only <@U0ANA>, who asked for it, can cancel this request.',
    );
    expect((await h.deps.promotionService.cancel(ana(), p.id)).state).toBe('cancelled');
    await expect(h.deps.promotionService.approve(bob(), p.id)).rejects.toThrow(/cancelled/);
  });

  it('refuses to request into a locked app, naming the lock', async () => {
    await h.deps.appSettings.lock(bob(), 'myapp', 'incident 42');
    await expect(request()).rejects.toThrow(
      'myapp is locked by <@U0BOB>: "incident 42". Unlock it (/pipeline unlock myapp) to promote into it.',
    );
    await h.deps.appSettings.unlock(bob(), 'myapp');
  });

  it('refuses an app with no downstream', async () => {
    await expect(request('myapp')).rejects.toThrow(
      'myapp has no downstream app. Add one with /pipeline add myapp DOWNSTREAM.',
    );
  });
});
