import { type ConnectionOptions, type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { Logger } from '../create-logger.js';
import type { RedisOutageLog } from './redis-outage-log.js';

export type WorkerDeps = {
  workerRedis: ConnectionOptions;
  queuePrefix: string;
  logger: Logger;
  /** Where connection errors go (one line per outage); without it each is logged. */
  redisOutage?: RedisOutageLog;
};

export function createWorker<Data, Result>(
  deps: WorkerDeps,
  name: string,
  processor: Processor<Data, Result>,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<Data, Result> {
  const worker = new Worker<Data, Result>(name, processor, {
    ...options,
    connection: deps.workerRedis,
    prefix: deps.queuePrefix,
  });
  // Without a listener an 'error' event would crash the process on a Redis hiccup.
  worker.on('error', (err) =>
    deps.redisOutage
      ? deps.redisOutage.error(err, { queue: name })
      : deps.logger.error({ err, queue: name }, 'worker error'),
  );
  // The error in words: a MongoDB client error carries its whole topology, too tangled for the log to print.
  worker.on('failed', (job, err) =>
    deps.logger.warn(
      { error: `${err.name}: ${err.message}`, queue: name, jobId: job?.id, attempts: job?.attemptsMade },
      'job failed',
    ),
  );
  return worker;
}
