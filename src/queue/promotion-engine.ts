import { DelayedError, type Job, Worker } from 'bullmq';
import { PlatformRateLimitError } from '../platform/platform-errors.js';
import type { PromotionEvent, PromotionEvents } from '../promotions/promotion-events.js';
import type { PromotionQueue } from '../promotions/promotion-service.js';
import type { PromotionJobs } from '../promotions/reconcile.js';
import { DOWNSTREAM_BUSY, giveUp, type RunDeps, type RunOutcome, runPromotion } from '../promotions/run-promotion.js';
import { createQueue, type QueueDeps } from './create-queue.js';
import { createWorker, type WorkerDeps } from './create-worker.js';
import { withDeadline } from './with-deadline.js';

export const PROMOTIONS_QUEUE = 'promotions';
export const EVENTS_QUEUE = 'promotion-events';

export type EngineTimings = {
  /** Tries per request for retryable failures (5xx, timeouts, lost answers); 429 waits do not count. */
  attempts: number;
  /** First retry delay; doubled each time. */
  backoffMs: number;
  /** How soon a request waiting for its downstream's lease looks again. */
  busyRetryMs: number;
  /** BullMQ's job lock: a worker that dies is noticed (and its job retried) within about this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /**
   * How long a downstream's lease outlives a worker that died holding it. A live holder renews it every third of
   * this, and checks it still holds it right before the write, so two workers never deploy one app at once.
   */
  leaseTtlMs: number;
  /** How long a write whose answer never came may still be applied by the platform (see RunDeps). */
  writeSettleMs: number;
  /** What the reconciler leaves to live processes: changes younger than this (see ReconcileDeps). */
  reconcileSettlingMs: number;
};

/**
 * A dead worker's promotion is taken up again within 15 s (its job lock lapses, the next stall check finds it, and
 * its lease has lapsed by then); one killed mid-write waits, besides, for the write to settle (30 s from its
 * start): so it completes within 30 s of another worker being there (DESIGN §5).
 */
export const DEFAULT_TIMINGS: EngineTimings = {
  attempts: 6,
  backoffMs: 2_000,
  busyRetryMs: 2_000,
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
  leaseTtlMs: 15_000,
  writeSettleMs: 30_000,
  reconcileSettlingMs: 5_000,
};

type RunJob = { promotionId: string };

/** A producer call that takes longer means Redis is not there; the caller must not hang on it. */
const PRODUCER_DEADLINE_MS = 2_000;

/** The producer side: job id = request id, payload = the id only (no secrets, nothing stale). */
export function createPromotionQueue(deps: QueueDeps, timings: EngineTimings = DEFAULT_TIMINGS) {
  const queue = createQueue<RunJob>(deps, PROMOTIONS_QUEUE);
  const options = { attempts: timings.attempts, backoff: { type: 'exponential', delay: timings.backoffMs } };
  const bounded = <T>(work: Promise<T>, what: string) => withDeadline(work, PRODUCER_DEADLINE_MS, what);
  const add = (promotionId: string) =>
    bounded(queue.add('run', { promotionId }, { jobId: promotionId, ...options }), 'queueing a promotion');
  const port: PromotionQueue & PromotionJobs = {
    enqueue: async (promotionId) => void (await add(promotionId)),
    state: async (promotionId) => {
      const job = await bounded(queue.getJob(promotionId), 'looking up a job');
      return job ? bounded(job.getState(), 'reading a job') : 'missing';
    },
    requeue: async (promotionId) => {
      // A finished job with this id would make BullMQ ignore the new one; a live one is left alone.
      await bounded(
        queue.getJob(promotionId).then(async (job) => {
          if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
        }),
        'removing a finished job',
      );
      await add(promotionId);
    },
  };
  return { queue, ...port, close: () => queue.close() };
}

/** The consumer: one attempt per job, mapping the engine's outcomes onto BullMQ's retry, delay and rate limit. */
export function startPromotionWorker(deps: WorkerDeps, run: RunDeps, timings: EngineTimings = DEFAULT_TIMINGS) {
  const worker: Worker<RunJob> = createWorker<RunJob, void>(
    deps,
    PROMOTIONS_QUEUE,
    async (job, token) => {
      // Every line this attempt logs names its request and job.
      const attempt = { ...run, logger: run.logger.child({ promotionId: job.data.promotionId, jobId: job.id }) };
      let outcome: RunOutcome;
      try {
        outcome = await runPromotion(attempt, job.data.promotionId);
      } catch (err) {
        return handleFailure(worker, job, token, err, attempt);
      }
      await waitIfAsked(job, token, outcome);
    },
    {
      concurrency: 5,
      lockDuration: timings.lockDurationMs,
      stalledInterval: timings.stalledIntervalMs,
      maxStalledCount: 5,
    },
  );

  /** The app is busy, or an earlier write may still land: look again later, without spending an attempt. */
  async function waitIfAsked(job: Job<RunJob>, token: string | undefined, outcome: RunOutcome): Promise<void> {
    if (outcome === DOWNSTREAM_BUSY) return delay(job, token, Date.now() + timings.busyRetryMs);
    if (outcome && 'unsettledUntil' in outcome) {
      run.logger.info(
        { promotionId: job.data.promotionId, until: outcome.unsettledUntil },
        'an earlier write may still land: waiting',
      );
      return delay(job, token, outcome.unsettledUntil.getTime());
    }
  }

  async function delay(job: Job<RunJob>, token: string | undefined, at: number): Promise<never> {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }

  async function handleFailure(
    w: Worker<RunJob>,
    job: Job<RunJob>,
    token: string | undefined,
    err: unknown,
    attempt: RunDeps,
  ): Promise<void> {
    if (err instanceof PlatformRateLimitError) {
      attempt.logger.warn({ waitMs: err.retryAfterMs }, 'platform rate limit: waiting');
      await w.rateLimit(err.retryAfterMs);
      throw Worker.RateLimitError();
    }
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      const why = `Gave up after ${job.attemptsMade + 1} attempts: ${(err as Error).message}`;
      // The app may be busy even now, or the last write still land: then wait for it. A failure here leaves the
      // request for the reconciler.
      await waitIfAsked(job, token, await giveUp(attempt, job.data.promotionId, why));
      return;
    }
    throw err;
  }
  return worker;
}

/** Events go through a queue so they survive restarts and reach whichever process renders them. */
export function createEventsPublisher(deps: QueueDeps): PromotionEvents & { close(): Promise<void> } {
  const queue = createQueue<PromotionEvent>(deps, EVENTS_QUEUE);
  return {
    // One job per (request, revision): publishing the same change twice is a no-op.
    publish: async (event) =>
      void (await withDeadline(
        queue.add(event.type, event, { jobId: `${event.promotionId}-${event.rev}` }),
        PRODUCER_DEADLINE_MS,
        'publishing a promotion event',
      )),
    close: () => queue.close(),
  };
}

export function startEventsWorker(deps: WorkerDeps, handle: (event: PromotionEvent) => Promise<void>) {
  return createWorker<PromotionEvent, void>(deps, EVENTS_QUEUE, async (job) => {
    await handle({ ...job.data, at: new Date(job.data.at) });
  });
}
