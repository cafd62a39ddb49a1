import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { type Harness, SIM_TOKEN, startHarness } from '../support/promotion-harness.js';
import { type MainProcess, runMain } from '../support/run-main.js';

// The real program (`src/main.ts --role worker`) on this file's database, with the queue prefix it derives from
// that database by itself (no QUEUE_PREFIX), as the harness does here.
let h: Harness;
let main: MainProcess | undefined;

beforeAll(async () => {
  h = await startHarness('shutdown', { realTime: true, queuePrefix: 'production' });
  await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=0']);
}, 60_000);
afterAll(async () => {
  main?.child.kill('SIGKILL');
  await h.stop();
});

describe('shutting down a worker', () => {
  it('on SIGTERM, finishes the promotion it is running and records it, then exits 0', async () => {
    main = runMain(
      {
        SLACK_SIGNING_SECRET: 's',
        SLACK_BOT_TOKEN: 'xoxb-main',
        REDIS_URL: h.env.redisUrl,
        MONGO_URL: h.env.mongoUrl,
        PLATFORM: 'heroku',
        HEROKU_API_URL: h.sim.url,
        HEROKU_API_KEY: SIM_TOKEN,
        LOG_LEVEL: 'info',
      },
      ['--role', 'worker'],
    );
    await waitFor(
      'the worker to be up',
      () => (main?.stdout().includes('mongo: indexes ready') ? true : undefined),
      20_000,
    );
    // The platform takes 2 s to answer the release: SIGTERM arrives in the middle of the call.
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', holdResponseMs: 2_000, times: 1 });
    const before = h.releasesOf('myapp').length;
    const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
      upstream: 'myapp-staging',
      requestKey: 'sigterm',
    });
    await waitFor('the platform call', () => (h.releasesOf('myapp').length > before ? true : undefined));
    const signalledAt = Date.now();
    main.child.kill('SIGTERM');

    expect(await main.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(await h.deps.promotionService.get(p.teamId, p.id)).toMatchObject({
      state: 'succeeded',
      result: { version: before + 1 },
    });
    expect(main.stdout()).toContain('"msg":"shutdown: done"');
  });
});
