import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { startRedisServer } from '../../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { closeWorker } from '../../src/queue/close-worker.js';
import { startEventsWorker, startPromotionWorker } from '../../src/queue/promotion-engine.js';
import { createRedisOutageLog } from '../../src/queue/redis-outage-log.js';
import { testEnv } from '../support/test-env.js';
import { TEST_TIMINGS } from '../support/test-timings.js';

// Issue 15, finding 9: during a Redis outage each process logged about 8 error lines a second, with stacks.
const env = testEnv('outagelog');
let redis: ThrowawayServer;
let deps: Deps;
const lines: { msg: string; level: number }[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  deps = createDeps(env.config({ REDIS_URL: redis.url }), logger, { timings: TEST_TIMINGS });
});
afterAll(async () => {
  await deps?.close();
  await redis?.destroy();
  await env.cleanup();
});

describe('a Redis outage in the log', () => {
  it('is one line when lost and one when back, whatever the queues and workers retry meanwhile', async () => {
    const workers = [
      startPromotionWorker(deps.queueDeps, deps.engine, TEST_TIMINGS),
      startEventsWorker(deps.queueDeps, async () => {}),
    ];
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    lines.length = 0;
    await redis.stop();
    const stopped = Date.now();
    // Long enough for every connection to retry many times (ioredis backs off to 2 s at most).
    await waitFor('several seconds of outage', () => (Date.now() - stopped > 4_000 ? true : undefined), 10_000);
    const during = lines.filter((l) => l.level >= 40).map((l) => l.msg);
    expect(during).toEqual([`redis: unreachable at redis://127.0.0.1:${redis.port}`]);
    await redis.start();
    await waitFor('the line saying it is back', () => lines.find((l) => l.msg === 'redis: reachable again'), 20_000);
    await Promise.all(workers.map((w) => closeWorker(w, 5_000)));
  }, 40_000);

  it('says how long it has been down every so often while it stays down', () => {
    let now = 0;
    const said: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void said.push(JSON.parse(line).msg) });
    const log = createRedisOutageLog(logger, 'redis://:secret@redis.internal:6380/0', { now: () => now });
    for (; now <= 65_000; now += 125)
      log.error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), {});
    log.back();
    expect(said).toEqual([
      'redis: unreachable at redis://redis.internal:6380',
      'redis: still unreachable',
      'redis: still unreachable',
      'redis: reachable again',
    ]);
    expect(said.join('\n')).not.toContain('secret');
  });
});
