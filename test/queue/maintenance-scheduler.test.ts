import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startMaintenance } from '../../src/queue/start-maintenance.js';
import { testEnv } from '../support/test-env.js';

const env = testEnv('maintenance');
const deps = createDeps(env.config(), createLogger('silent'), { queuePrefix: env.queuePrefix });
afterAll(() => deps.close());

describe('the reconciler schedule', () => {
  it('runs on its interval, once per tick however many workers start it', async () => {
    let runs = 0;
    const reconcile = async () => {
      runs++;
    };
    const a = await startMaintenance(deps.queueDeps, { reconcile: { everyMs: 300, run: reconcile } }, deps.logger);
    const b = await startMaintenance(deps.queueDeps, { reconcile: { everyMs: 300, run: reconcile } }, deps.logger);
    try {
      await waitFor('three runs', () => (runs >= 3 ? true : undefined), 10_000);
      expect(await a.queue.getJobSchedulers()).toHaveLength(1);
      const started = Date.now();
      const before = runs;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Two workers, one schedule: about five runs in 1.5 s, not ten.
      expect(runs - before).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 300) + 1);
    } finally {
      await a.close(2_000);
      await b.close(2_000);
    }
  });
});
