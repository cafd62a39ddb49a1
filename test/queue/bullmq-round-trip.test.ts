import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import { createQueue } from '../../src/queue/create-queue.js';
import { createWorker } from '../../src/queue/create-worker.js';
import { testEnv } from '../support/test-env.js';

const env = testEnv('bullmq');
const deps = createDeps(env.config(), createLogger('silent'), { queuePrefix: env.queuePrefix });
afterAll(() => deps.close());

describe('BullMQ on the ephemeral Redis', () => {
  it('round-trips a job from producer to worker and back with its result', async () => {
    const queue = createQueue<{ n: number }>(deps, 'round-trip');
    const worker = createWorker<{ n: number }, number>(deps, 'round-trip', async (job) => job.data.n * 2);
    try {
      const finished = new Promise<number>((resolve) => worker.on('completed', (_job, result) => resolve(result)));
      const job = await queue.add('double', { n: 21 }, { jobId: 'job-21' });
      expect(await finished).toBe(42);
      const stored = await queue.getJob('job-21');
      expect(stored?.returnvalue).toBe(42);
      expect(job.id).toBe('job-21');
      // The keys live under this file's own prefix, so parallel test files never see each other's jobs.
      expect(await deps.redis.keys(`${env.queuePrefix}:round-trip:*`)).not.toHaveLength(0);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
