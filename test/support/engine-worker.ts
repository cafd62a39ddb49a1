// A promotion worker in a process of its own, for tests that run several, or kill one.
// Environment: the usual config variables (REDIS_URL, MONGO_URL, HEROKU_API_URL/KEY pointing at the simulator)
// plus QUEUE_PREFIX. Prints "ready", then "ran <promotionId>" for each job it finishes.
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import { startPromotionWorker } from '../../src/queue/promotion-engine.js';
import { TEST_TIMINGS } from './test-timings.js';

const deps = createDeps(loadConfig(), createLogger('silent'), {
  queuePrefix: process.env.QUEUE_PREFIX,
  timings: TEST_TIMINGS,
});
const worker = startPromotionWorker(deps.queueDeps, deps.engine, TEST_TIMINGS);
worker.on('completed', (job) => process.stdout.write(`ran ${job.data.promotionId}\n`));
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => deps.close())
      .then(() => process.exit(0)),
);
