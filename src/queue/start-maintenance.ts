import type { Logger } from '../create-logger.js';
import { closeWorker } from './close-worker.js';
import { createQueue, type QueueDeps } from './create-queue.js';
import { createWorker, type WorkerDeps } from './create-worker.js';

export const MAINTENANCE_QUEUE = 'maintenance';

/** A job that runs on an interval: once per tick across all workers, whichever takes it. */
export type Schedule = { everyMs: number; run: () => Promise<unknown> };

/** The scheduled jobs (the reconciler, the release poller) on BullMQ job schedulers. */
export async function startMaintenance(
  deps: QueueDeps & WorkerDeps,
  schedules: Record<string, Schedule>,
  logger: Logger,
) {
  const queue = createQueue(deps, MAINTENANCE_QUEUE);
  for (const [name, { everyMs }] of Object.entries(schedules)) {
    await queue.upsertJobScheduler(name, { every: everyMs }, { name });
  }
  const worker = createWorker(deps, MAINTENANCE_QUEUE, async (job) => {
    const schedule = schedules[job.name];
    // A schedule this version no longer has (left by an older deploy) has nothing to run.
    if (!schedule) return 'unknown';
    const outcome = await schedule.run();
    logger.debug({ job: job.name, outcome }, 'scheduled job ran');
    return outcome;
  });
  return {
    queue,
    worker,
    close: async (deadlineMs: number) => {
      await closeWorker(worker, deadlineMs);
      await queue.close();
    },
  };
}
