import { type ConnectionOptions, type DefaultJobOptions, Queue } from 'bullmq';
import type { Logger } from '../create-logger.js';
import type { RedisOutageLog } from './redis-outage-log.js';

/** `redisOutage`: where connection errors go (one line per outage); without it each is logged. */
export type QueueDeps = { redis: ConnectionOptions; queuePrefix: string; logger: Logger; redisOutage?: RedisOutageLog };

/** Finished jobs are kept for a while for inspection, then trimmed so Redis does not grow forever. */
const defaultJobOptions: DefaultJobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

export function createQueue<Data>(deps: QueueDeps, name: string): Queue<Data> {
  const queue = new Queue<Data>(name, { connection: deps.redis, prefix: deps.queuePrefix, defaultJobOptions });
  queue.on('error', (err) =>
    deps.redisOutage
      ? deps.redisOutage.error(err, { queue: name })
      : deps.logger.error({ err, queue: name }, 'queue error'),
  );
  return queue;
}
