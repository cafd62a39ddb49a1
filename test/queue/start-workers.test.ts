import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import { createQueue } from '../../src/queue/create-queue.js';
import { MAINTENANCE_QUEUE } from '../../src/queue/start-maintenance.js';
import { startWorkers } from '../../src/queue/start-workers.js';
import { testEnv } from '../support/test-env.js';

const env = testEnv('startworkers');
const deps = createDeps(env.config({ RELEASE_POLL_SECONDS: '7' }), createLogger('silent'), {
  queuePrefix: env.queuePrefix,
});
afterAll(async () => {
  await deps.close();
  await env.cleanup();
});

describe('the worker role', () => {
  it('schedules the reconciler, the release poller at RELEASE_POLL_SECONDS, the watcher of apps with open requests, and the announcers sweep', async () => {
    const notUsed = async () => {
      throw new Error('no Slack in this test');
    };
    const stop = await startWorkers(deps, {
      cards: { refresh: notUsed, isShown: notUsed, converge: notUsed },
      sender: { postLine: notUsed, postDetails: notUsed },
      tellLapsed: notUsed,
    });
    const queue = createQueue(deps.queueDeps, MAINTENANCE_QUEUE);
    try {
      const schedules = await queue.getJobSchedulers();
      expect(schedules.map((j) => [j.key, Number(j.every)]).sort()).toEqual([
        ['lapse-locks', 30_000],
        ['poll-releases', 7_000],
        ['reconcile', 30_000],
        ['wake-announcers', 30_000],
        ['watch-downstreams', 7_000],
      ]);
    } finally {
      await queue.close();
      await stop();
    }
  });
});
