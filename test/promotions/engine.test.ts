import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { type Promotion, promotionDescription } from '../../src/promotions/promotion.js';
import { reconcile } from '../../src/promotions/reconcile.js';
import { runReconciler } from '../../src/queue/start-workers.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';

let h: Harness;
let key = 0;
let baseline = '';
const ana = () => h.actor('U0ANA');
const settle = (p: Promotion) => h.settle(p);
/** With no approval needed, a request is approved at creation and queued at once. */
const promote = () =>
  h.deps.promotionService.requestPromotion(ana(), { upstream: 'myapp-staging', requestKey: `k-${++key}` });
const productionReleases = () => h.releasesOf('myapp').length;
/** A request is recorded just before its job is marked done: wait for the job too. */
const jobCompleted = (id: string, what: string) =>
  waitFor(what, async () => ((await h.deps.promotionQueue.state(id)) === 'completed' ? true : undefined));

beforeAll(async () => {
  h = await startHarness('engine', { realTime: true });
  baseline = h.releasesOf('myapp').at(-1)?.slugId ?? '';
  await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
  h.startWorker();
  h.collectEvents();
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.control.clearFaults();
  if (h.releasesOf('myapp').at(-1)?.slugId !== baseline) {
    await h.deps.ports.platform.createRelease('myapp', { slug: baseline, description: 'reset for the next test' });
  }
});

describe('the promotion engine', () => {
  it('makes one release when the same request is queued twice', async () => {
    const before = productionReleases();
    const p = await promote();
    await h.deps.promotionQueue.enqueue(p.id);
    await h.deps.promotionQueue.enqueue(p.id);
    expect((await settle(p)).state).toBe('succeeded');
    // Even a fresh job for the finished request (BullMQ no longer remembers the old one) writes nothing.
    await jobCompleted(p.id, 'the job to complete');
    await h.deps.promotionQueue.requeue(p.id);
    await jobCompleted(p.id, 'the new job to complete');
    expect(productionReleases()).toBe(before + 1);
  });

  it('retries a 503 twice and then makes exactly one release', async () => {
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', status: 503, times: 2 });
    const before = productionReleases();
    const done = await settle(await promote());
    expect(done).toMatchObject({ state: 'succeeded', result: { version: before + 1 } });
    expect(productionReleases()).toBe(before + 1);
  });

  it("fails on a 422 at once, with the platform's message", async () => {
    await h.control.fault({
      method: 'POST',
      path: '/apps/myapp/releases',
      status: 422,
      message: 'Slug is too large.',
      times: 1,
    });
    const before = productionReleases();
    const done = await settle(await promote());
    expect(done).toMatchObject({ state: 'failed', error: 'Heroku answered 422 invalid_params: Slug is too large.' });
    expect(productionReleases()).toBe(before);
  });

  it('waits out a 429 without spending an attempt, then succeeds', async () => {
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', status: 429, retryAfter: 1, times: 1 });
    const p = await promote();
    expect((await settle(p)).state).toBe('succeeded');
    // The platform did answer 429 once (the fault is used up) and the request still went through.
    const { faults } = (await h.control.state()) as { faults: { left: number | null }[] };
    expect(faults.map((f) => f.left)).toEqual([0]);
    // The request is recorded just before its job completes.
    await jobCompleted(p.id, 'the job to complete');
    const job = await h.deps.promotionQueue.queue.getJob(p.id);
    // Two starts, but only the successful one counts as an attempt (BullMQ counts the completion).
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.attemptsMade).toBe(1);
  });

  it('makes one release, not two, when the answer to the release is lost', async () => {
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', dropResponse: true, times: 1 });
    const before = productionReleases();
    expect((await settle(await promote())).state).toBe('succeeded');
    expect(productionReleases()).toBe(before + 1);
  });

  it('on its last attempt, looks before failing: a release whose answer was lost counts as done', async () => {
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', status: 503, times: 3 });
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', dropResponse: true, times: 1 });
    const before = productionReleases();
    const done = await settle(await promote());
    expect(done).toMatchObject({ state: 'succeeded', result: { version: before + 1 } });
    expect(productionReleases()).toBe(before + 1);
  });

  it('makes one release when the platform applies a write after the client gave up waiting (no second write)', async () => {
    // Held past the client's 2 s timeout, then applied: the retry must not write again while that can happen.
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', applyLateMs: 3_000, times: 1 });
    const before = productionReleases();
    const done = await settle(await promote());
    await waitFor('the late write to land', async () =>
      ((await h.control.state()) as { lateWritesPending: number }).lateWritesPending === 0 ? true : undefined,
    );
    expect(productionReleases()).toBe(before + 1);
    expect(done).toMatchObject({ state: 'succeeded', result: { version: before + 1 } });
  });

  it('succeeds, not "superseded", when its release was made and the app moved on before it was recorded', async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const p = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: `k-${++key}`,
    });
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
    // What a worker killed after the platform call leaves: the request running, its release made, unrecorded;
    // then another release lands on top before the request runs again.
    await h.deps.db.collection('promotions').updateOne({ _id: p.id as never }, { $set: { state: 'running' } });
    const ours = await h.deps.ports.platform.createRelease('myapp', {
      slug: p.source.slugId ?? '',
      description: promotionDescription(p),
    });
    await h.deps.ports.platform.createRelease('myapp', { slug: baseline, description: 'hotfix' });
    await h.deps.promotionQueue.enqueue(p.id);
    const done = await settle(p);
    expect(done).toMatchObject({ state: 'succeeded', result: { releaseId: ours.id, version: ours.version } });
  });

  it("finishes a dead worker's promotion into the app before starting another: never two running into one app", async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const request = () =>
      h.deps.promotionService.requestPromotion(ana(), { upstream: 'myapp-staging', requestKey: `k-${++key}` });
    const stranded = await request();
    // Its worker died mid-attempt (before the write): running, its job not yet found stalled.
    await h.deps.db.collection('promotions').updateOne({ _id: stranded.id as never }, { $set: { state: 'running' } });
    await h.control.deploy('myapp-staging', 'a newer build');
    const next = await request();
    await h.deps.promotionService.approve(h.actor('U0BOB'), next.id);
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);

    const [first, second] = [await settle(stranded), await settle(next)];
    expect(first).toMatchObject({ state: 'succeeded' });
    // The app moved under it (the stranded one landed first), so it says so instead of running beside it.
    expect(second.state).toBe('superseded');
    const secondRan = await h.deps.db
      .collection('audit')
      .countDocuments({ promotionId: next.id, action: 'promotion.running' });
    expect(secondRan).toBe(0);
  });

  it('counts a start claimed but never stored (its attempt lost MongoDB mid-way) as running: carried on first', async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const request = () =>
      h.deps.promotionService.requestPromotion(ana(), { upstream: 'myapp-staging', requestKey: `k-${++key}` });
    const first = await request();
    // Approved, no job now, its start claimed (and audited) but not applied: an attempt that lost MongoDB then.
    await h.deps.db.collection('promotions').updateOne({ _id: first.id as never }, { $set: { state: 'approved' } });
    const approved = await h.deps.promotionService.get(first.teamId, first.id);
    const at = new Date();
    await h.deps.stores.promotions.claim({
      _id: `${first.id}:${approved.rev + 1}`,
      promotionId: first.id,
      rev: approved.rev + 1,
      patch: { state: 'running', updatedAt: at },
      note: { type: 'running' },
      at,
    });
    await h.control.deploy('myapp-staging', 'a build after it');
    const next = await request();
    await h.deps.promotionService.approve(h.actor('U0BOB'), next.id);
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);

    expect((await settle(first)).state).toBe('succeeded');
    expect((await settle(next)).state).toBe('superseded');
    const nextRan = await h.deps.db
      .collection('audit')
      .countDocuments({ promotionId: next.id, action: 'promotion.running' });
    expect(nextRan).toBe(0);
  });

  it('gives up after its attempts and says why', async () => {
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', status: 503 });
    const done = await settle(await promote());
    expect(done).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/^Gave up after 4 attempts: Heroku answered 503/),
    });
  });

  it('fails an approved promotion into an app locked meanwhile, with the lock', async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const p = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: `k-${++key}`,
    });
    await h.deps.appSettings.lock(h.actor('U0BOB'), 'myapp', 'incident 42');
    await h.deps.promotionService.approve(h.actor('U0CAROL'), p.id);
    const done = await settle(p);
    await h.deps.appSettings.unlock(h.actor('U0BOB'), 'myapp');
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
    expect(done).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/^myapp is locked by <@U0BOB>: "incident 42"/),
    });
  });

  it('queues again an approved request that lost its job, through the reconciler', async () => {
    const p = await promote();
    await jobCompleted(p.id, 'the job to finish');
    await settle(p);
    // Pretend the request never ran: back to approved, with its job gone (as after Redis lost its data).
    await h.deps.db.collection('promotions').updateOne({ _id: p.id as never }, { $set: { state: 'approved' } });
    await (await h.deps.promotionQueue.queue.getJob(p.id))?.remove();
    const outcome = await runReconciler(h.deps);
    expect(outcome.requeued).toBe(1);
    const releasesBefore = productionReleases();
    expect((await settle({ ...p })).state).toBe('succeeded');
    // It already ran: the re-run finds the pinned build live and writes nothing.
    expect(productionReleases()).toBe(releasesBefore);
  });
});

describe('the reconciler beside live workers', () => {
  const LIVE_MS = 5_000;

  it('leaves a just-claimed transition to its writer', async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const p = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: `k-${++key}`,
    });
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
    const at = new Date();
    // A live process has just claimed Bob's approval and is applying it.
    await h.deps.stores.promotions.claim({
      _id: `${p.id}:1`,
      promotionId: p.id,
      rev: 1,
      patch: { state: 'approved', approvals: [{ userId: 'U0BOB', at }], updatedAt: at },
      note: { type: 'approved', by: 'U0BOB' },
      at,
    });
    expect(await runReconciler(h.deps, LIVE_MS)).toMatchObject({ finished: 0 });
    expect((await h.deps.promotionService.get(p.teamId, p.id)).state).toBe('pending_approval');
    // Its writer died after all: once it is old enough, the reconciler finishes it.
    expect(await runReconciler(h.deps, 0)).toMatchObject({ finished: 1 });
    expect((await settle(p)).state).toBe('succeeded');
  });

  it("leaves a just-approved request's queueing to its approver", async () => {
    const p = await promote();
    await settle(p);
    await jobCompleted(p.id, 'the job to complete');
    // Approved a moment ago, its job not queued yet: the approver is about to.
    await (await h.deps.promotionQueue.queue.getJob(p.id))?.remove();
    await h.deps.db
      .collection('promotions')
      .updateOne({ _id: p.id as never }, { $set: { state: 'approved', updatedAt: new Date() } });
    expect(await runReconciler(h.deps, LIVE_MS)).toMatchObject({ requeued: 0 });
    expect(await h.deps.promotionQueue.state(p.id)).toBe('missing');
    expect(await runReconciler(h.deps, 0)).toMatchObject({ requeued: 1 });
    await settle(p);
  });

  it('does not queue again a request whose job finished while it looked', async () => {
    const p = await promote();
    const done = await settle(p);
    await jobCompleted(p.id, 'the job to complete');
    // As the reconciler saw it a moment ago: running, long enough to be its business. By the time it asks the
    // queue, the job has completed and the request is recorded.
    const listed = { ...done, state: 'running' as const, rev: done.rev - 1, updatedAt: new Date(0) };
    const store = h.deps.stores.promotions;
    const outcome = await reconcile({
      promotions: { ...store, inStates: async () => [listed] },
      watermarks: h.deps.stores.watermarks,
      jobs: h.deps.promotionQueue,
      expireStale: async () => 0,
      finishClaimed: async () => 0,
      view: h.deps.cards,
      withdrawUnshown: async () => undefined,
      now: () => new Date(),
      settlingMs: LIVE_MS,
      logger: h.deps.logger,
    });
    expect(outcome.requeued).toBe(0);
    expect(await h.deps.promotionQueue.state(p.id)).toBe('completed');
  });
});

describe('the record of a request', () => {
  it('has exactly one audit event per transition, each under its own revision', async () => {
    const done = await settle(await promote());
    const events = await h.deps.db.collection('audit').find({ promotionId: done.id }).sort({ at: 1 }).toArray();
    expect(events.map((e) => e.action)).toEqual(['promotion.requested', 'promotion.running', 'promotion.succeeded']);
    expect(events.map((e) => e.key)).toEqual([`${done.id}:0`, `${done.id}:1`, `${done.id}:2`]);
    expect(done.rev).toBe(2);
  });

  it('finishes a transition whose writer died after claiming it: the approval, its audit event, and the promotion', async () => {
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=1']);
    const p = await h.deps.promotionService.requestPromotion(ana(), {
      upstream: 'myapp-staging',
      requestKey: `k-${++key}`,
    });
    await h.deps.appSettings.policy(ana(), 'myapp', ['approvals=0']);
    // What a process killed right after claiming Bob's approval leaves behind: the claim, nothing else.
    const at = new Date();
    await h.deps.stores.promotions.claim({
      _id: `${p.id}:1`,
      promotionId: p.id,
      rev: 1,
      patch: { state: 'approved', approvals: [{ userId: 'U0BOB', at }], updatedAt: at },
      note: { type: 'approved', by: 'U0BOB' },
      at,
    });
    expect((await h.deps.promotionService.get(p.teamId, p.id)).state).toBe('pending_approval');
    const outcome = await runReconciler(h.deps);
    expect(outcome).toMatchObject({ finished: 1 });
    await runReconciler(h.deps);
    const done = await settle(p);
    expect(done).toMatchObject({ state: 'succeeded', approvals: [{ userId: 'U0BOB' }] });
    const approvedBy = await h.deps.db
      .collection('audit')
      .find({ promotionId: p.id, action: 'promotion.approved' })
      .toArray();
    expect(approvedBy.map((e) => e.actor)).toEqual(['U0BOB']);
  });
});

describe('events out', () => {
  it('tell the story of a request in order: requested, running, succeeded with the version', async () => {
    const p = await promote();
    const done = await settle(p);
    const mine = await waitFor('three events', () => {
      const got = h.events.filter((e) => e.promotionId === p.id);
      return got.length >= 3 ? got : undefined;
    });
    expect(mine.map((e) => [e.type, e.state, e.rev])).toEqual([
      ['requested', 'approved', 0],
      ['running', 'running', 1],
      ['succeeded', 'succeeded', 2],
    ]);
    expect(mine[2]).toMatchObject({ version: done.result?.version, downstream: 'myapp', kind: 'promotion' });
  });

  it('carry the reason of a failure', async () => {
    await h.control.fault({
      method: 'POST',
      path: '/apps/myapp/releases',
      status: 403,
      message: 'No access to myapp.',
      times: 1,
    });
    const p = await promote();
    await settle(p);
    const failed = await waitFor('the failed event', () =>
      h.events.find((e) => e.promotionId === p.id && e.type === 'failed'),
    );
    expect(failed.reason).toBe('Heroku answered 403 forbidden: No access to myapp.');
  });
});

describe('rollbacks', () => {
  const rollback = (version?: number, userId = 'U0ANA') =>
    h.deps.promotionService.requestRollback(h.actor(userId), {
      app: 'myapp-staging',
      version,
      requestKey: `rb-${++key}`,
    });

  it('go back to the release before the current one, as a new release described "Rollback to vN"', async () => {
    const current = h.releasesOf('myapp-staging').at(-1);
    const done = await settle(await rollback());
    const last = h.releasesOf('myapp-staging').at(-1);
    expect(done.state).toBe('succeeded');
    expect(last).toMatchObject({
      version: (current?.version ?? 0) + 1,
      description: `Rollback to v${(current?.version ?? 0) - 1}`,
    });
  });

  it('go to a given vN, and refuse with the reason when there is nothing to go back to', async () => {
    expect((await settle(await rollback(2))).state).toBe('succeeded');
    expect(h.releasesOf('myapp-staging').at(-1)?.description).toBe('Rollback to v2');
    await expect(rollback(1)).rejects.toThrow(
      "v1 of myapp-staging has no build (it is the app's empty first release).",
    );
    await expect(rollback(99)).rejects.toThrow(/myapp-staging has no v99 among its last \d+ releases/);
    await expect(
      h.deps.promotionService.requestRollback(ana(), { app: 'myapp-kim-dev', requestKey: `rb-${++key}` }),
    ).rejects.toThrow("v1 of myapp-kim-dev has no build (it is the app's empty first release).");
  });

  it("refuse anyone but the lock's holder, who may roll back the app they locked", async () => {
    await h.deps.appSettings.lock(h.actor('U0BOB'), 'myapp-staging', 'bad deploy');
    await expect(rollback(undefined, 'U0ANA')).rejects.toThrow(/myapp-staging is locked by <@U0BOB>: "bad deploy"/);
    expect((await settle(await rollback(undefined, 'U0BOB'))).state).toBe('succeeded');
    await h.deps.appSettings.unlock(h.actor('U0BOB'), 'myapp-staging');
  });
});
