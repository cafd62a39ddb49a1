import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { startRedisServer } from '../../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { createQueue } from '../../src/queue/create-queue.js';
import { testEnv } from '../support/test-env.js';

// Stops its Redis on purpose, so it has one of its own.
const env = testEnv('failfast');
let redis: ThrowawayServer;
let deps: Deps;

beforeAll(async () => {
  redis = await startRedisServer();
  deps = createDeps(env.config({ REDIS_URL: redis.url }), createLogger('silent'), { queuePrefix: env.queuePrefix });
});
afterAll(async () => {
  await deps?.close();
  await redis?.destroy();
});

describe('a producer while Redis is down', () => {
  it('gets an error at once instead of hanging, and works again once Redis is back', async () => {
    const queue = createQueue<{ n: number }>(deps, 'fail-fast');
    try {
      await queue.add('before', { n: 1 });
      await redis.stop();

      const started = Date.now();
      await expect(queue.add('during', { n: 2 })).rejects.toThrow(/enableOfflineQueue|Connection is closed|writeable/i);
      expect(Date.now() - started).toBeLessThan(2_000);

      await redis.start();
      const job = await waitFor('Redis back', () => queue.add('after', { n: 3 }), 20_000);
      // Nothing persisted across the restart (the test server keeps no data), but the queue accepts work again.
      expect(await queue.getJob(job.id as string)).toMatchObject({ name: 'after', data: { n: 3 } });
    } finally {
      await queue.close();
    }
  });
});
