import type { Logger } from '../create-logger.js';
import { closeWorker } from './close-worker.js';
import { createQueue, type QueueDeps } from './create-queue.js';
import { createWorker, type WorkerDeps } from './create-worker.js';

export const MAINTENANCE_QUEUE = 'maintenance';
const RESTATE_EVERY_MS = 60_000;
const RETRY_SOON = { attempts: 3, backoff: { type: 'fixed', delay: 2_000 } };

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
      // A pass that fails (a connection still coming back) is tried again soon, not at the next tick.
      await queue.upsertJobScheduler(name, { every: everyMs }, { name, opts: RETRY_SOON });
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
    /** Runs a schedule's job once now (and once more after `againAfterMs`), beside its ticks; one per moment. */
    runSoon: async (name: string, againAfterMs: number) => {
      const at = Date.now();
      await queue.add(name, {}, { jobId: `${name}-now-${Math.floor(at / 1_000)}`, ...RETRY_SOON });
      await queue.add(
        name,
        {},
        { jobId: `${name}-again-${Math.floor(at / 1_000)}`, delay: againAfterMs, ...RETRY_SOON },
      );
    },
    close: async (deadlineMs: number) => {
      clearInterval(restate);
      await closeWorker(worker, deadlineMs);
      await queue.close();
    },
  };
}
