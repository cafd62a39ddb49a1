import type { Logger } from '../create-logger.js';
import { closeWorker } from './close-worker.js';
import { createQueue, type QueueDeps } from './create-queue.js';
import { createWorker, type WorkerDeps } from './create-worker.js';

export const MAINTENANCE_QUEUE = 'maintenance';
const RESTATE_EVERY_MS = 60_000;

/** A job that runs on an interval: once per tick across all workers, whichever takes it. */
export type Schedule = { everyMs: number; run: () => Promise<unknown> };

/** The scheduled jobs (the reconciler, the release poller) on BullMQ job schedulers. */
export async function startMaintenance(
  deps: QueueDeps & WorkerDeps,
  schedules: Record<string, Schedule>,
  logger: Logger,
) {
  const queue = createQueue(deps, MAINTENANCE_QUEUE);
  const upsertAll = async () => {
    for (const [name, { everyMs }] of Object.entries(schedules)) {
      await queue.upsertJobScheduler(name, { every: everyMs }, { name });
    }
  };
  await upsertAll();
  // The schedules live in Redis: a Redis that lost its data (a flush, a failover to an empty replica) would
  // silently stop them, the sweeps that repair such losses included. Re-stating them is idempotent.
  const restate = setInterval(
    () => void upsertAll().catch((err) => logger.warn({ err }, 'scheduled jobs: could not re-state')),
    RESTATE_EVERY_MS,
  );
  restate.unref();
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
      clearInterval(restate);
      await closeWorker(worker, deadlineMs);
      await queue.close();
    },
  };
}
