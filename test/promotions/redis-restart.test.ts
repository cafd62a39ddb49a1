import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { runReconciler, startWorkers } from '../../src/queue/start-workers.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';

// Restarts its Redis, so it has its own; with AOF on, as production runs it, queued work survives the restart.
let redis: ThrowawayServer;
let h: Harness;

beforeAll(async () => {
  redis = await startRedisServer({ aof: true });
  h = await startHarness('redisrestart', { realTime: true, redisUrl: redis.url });
  await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=0']);
  h.startWorker();
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await redis?.destroy();
});

describe('a Redis restart', () => {
  it('while a job waits: the engine reconnects by itself and the request completes, once', async () => {
    // The platform says "wait 3 s"; Redis goes away for longer than BullMQ's drainDelay (5 s) during the wait.
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', status: 429, retryAfter: 3, times: 1 });
    const before = h.releasesOf('myapp').length;
    const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
      upstream: 'myapp-staging',
      requestKey: 'restart',
    });
    await waitFor('the rate-limited attempt', async () => {
      const state = (await h.control.state()) as { faults: { left: number | null }[] };
      return state.faults[0]?.left === 0 ? true : undefined;
    });
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await redis.start();

    const done = await h.settle(p, 40_000);
    expect(done.state).toBe('succeeded');
    expect(h.releasesOf('myapp')).toHaveLength(before + 1);
  });

  it('while someone approves: the approval is kept, and the reconciler queues it once Redis is back', async () => {
    await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=1']);
    await h.control.deploy('myapp-staging', 'something new to promote');
    const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
      upstream: 'myapp-staging',
      requestKey: 'approve-offline',
    });
    const before = h.releasesOf('myapp').length;
    await redis.stop();
    const started = Date.now();
    const approved = await h.deps.promotionService.approve(h.actor('U0BOB'), p.id);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(approved.state).toBe('approved');
    await redis.start();
    await waitFor(
      'Redis back for the producer',
      async () => ((await h.deps.redis.ping().catch(() => '')) === 'PONG' ? true : undefined),
      20_000,
    );
    const outcome = await runReconciler(h.deps);
    expect(outcome.requeued).toBe(1);
    const done = await h.settle(p, 30_000);
    expect(done.state).toBe('succeeded');
    expect(h.releasesOf('myapp')).toHaveLength(before + 1);
  });

  it("queues approvals made while it was down at once when it is back, not at the reconciler's next tick", async () => {
    // The whole worker role, its reconciler on its 30 s schedule: a prompt finish can only be the catch-up pass.
    const notUsed = async () => {
      throw new Error('no Slack here');
    };
    const stopWorkers = await startWorkers(h.deps, {
      cards: h.deps.cards,
      sender: { postLine: notUsed, postDetails: notUsed },
      tellLapsed: notUsed,
    });
    try {
      await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=1']);
      await h.control.deploy('myapp-staging', 'approved in the dark');
      const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
        upstream: 'myapp-staging',
        requestKey: 'approve-in-outage',
      });
      // Let the scheduled pass that runs at start go by first.
      await waitFor('the first scheduled pass', async () =>
        (await h.deps.stores.watermarks.get('reconciler:cards')) ? true : undefined,
      );
      await redis.stop();
      expect((await h.deps.promotionService.approve(h.actor('U0BOB'), p.id)).state).toBe('approved');
      await redis.start();
      const back = Date.now();
      const done = await h.settle(p, 25_000);
      expect(done.state).toBe('succeeded');
      expect(Date.now() - back).toBeLessThan(25_000);
    } finally {
      await stopWorkers();
      await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=0']);
    }
  }, 60_000);
});
