import type { Deps } from '../deps.js';
import { type LapseDeps, lapseLocks } from '../pipelines/lapse-locks.js';
import type { PromotionView } from '../promotions/promotion-view.js';
import { reconcile } from '../promotions/reconcile.js';
import { finishClaimedRevisions } from '../promotions/record-transition.js';
import { watchDownstreams } from '../promotions/supersede-moved.js';
import { pollReleases } from '../releases/poll-releases.js';
import type { AnnouncementSender } from '../releases/send-next-announcement.js';
import { wakeAnnouncers } from '../releases/wake-announcers.js';
import { startAnnouncementWorker } from './announcement-queue.js';
import { closeWorker } from './close-worker.js';
import { startEventsWorker, startPromotionWorker } from './promotion-engine.js';
import { startMaintenance } from './start-maintenance.js';
import { whenRedisReady } from './when-redis-ready.js';

const RECONCILE_EVERY_MS = 30_000;
/** A lock given a duration lapses within this of its time. */
const LAPSE_LOCKS_EVERY_MS = 30_000;
/** How long an announcement can wait when its channel's job was lost (whatever the poll interval). */
const WAKE_ANNOUNCERS_EVERY_MS = 30_000;
/** Slack takes about one message a second in a channel. */
export const ANNOUNCE_INTERVAL_MS = 1_000;
/** Inside main's 10 s shutdown deadline, leaving time to close the connections after. */
const CLOSE_DEADLINE_MS = 8_000;

/** The chat side the workers talk to, as ports: where requests are shown, and where releases are announced. */
export type WorkerSlack = { cards: PromotionView; sender: AnnouncementSender; tellLapsed: LapseDeps['tellLapsed'] };

/**
 * The worker role: the promotion engine, the events consumer (which keeps each request's Slack card true), the
 * announcement senders, and the scheduled jobs (the reconciler, the release poller, the watcher of apps with open requests, the announcers' sweep).
 */
export async function startWorkers(
  deps: Deps,
  slack: WorkerSlack,
  options: { announceIntervalMs?: number } = {},
): Promise<() => Promise<void>> {
  const promotions = startPromotionWorker(deps.queueDeps, deps.engine, deps.timings);
  const events = startEventsWorker(deps.queueDeps, async (event) => {
    deps.logger.info({ event }, 'promotion event');
    await slack.cards.refresh(event.promotionId);
  });
  const announcements = startAnnouncementWorker(deps.queueDeps, {
    ...deps.announcing,
    sender: slack.sender,
    intervalMs: options.announceIntervalMs ?? ANNOUNCE_INTERVAL_MS,
  });
  const maintenance = await startMaintenance(
    deps.queueDeps,
    {
      reconcile: { everyMs: RECONCILE_EVERY_MS, run: () => runReconciler(deps) },
      'poll-releases': { everyMs: deps.config.releasePollMs, run: () => pollReleases(deps.announcing) },
      'watch-downstreams': { everyMs: deps.config.releasePollMs, run: () => watchDownstreams(deps.engine) },
      'wake-announcers': { everyMs: WAKE_ANNOUNCERS_EVERY_MS, run: () => wakeAnnouncers(deps.announcing) },
      'lapse-locks': { everyMs: LAPSE_LOCKS_EVERY_MS, run: () => lapseLocks(lapseDeps(deps, slack)) },
    },
    deps.logger,
  );
  catchUpAfterOutages(deps, maintenance);
  // Closing a worker waits for its running job: a promotion half-done is finished, not abandoned (within the
  // shutdown deadline; past it the job stalls and another worker finishes it).
  return async () => {
    await Promise.all([
      closeWorker(promotions, CLOSE_DEADLINE_MS),
      closeWorker(events, CLOSE_DEADLINE_MS),
      closeWorker(announcements, CLOSE_DEADLINE_MS),
      maintenance.close(CLOSE_DEADLINE_MS),
    ]);
  };
}

/**
 * Approvals made while Redis was away are stored but not queued: the reconciler queues them. It runs at once
 * when Redis is back, and again once those approvals are old enough for it to take (`reconcileSettlingMs`),
 * instead of at its next tick up to 30 s later.
 */
function catchUpAfterOutages(deps: Deps, maintenance: { runSoon(name: string, againAfterMs: number): Promise<void> }) {
  deps.redisOutage.onBack(() => {
    void whenRedisReady(deps.redis, 10_000)
      .then(() => maintenance.runSoon('reconcile', deps.timings.reconcileSettlingMs + 1_000))
      .catch((err) => deps.logger.warn({ err }, 'reconciler: could not run at once after the outage'));
  });
}

/** What lifting the locks whose time is up needs. */
export function lapseDeps(deps: Deps, slack: Pick<WorkerSlack, 'tellLapsed'>): LapseDeps {
  return { ...deps.stores, now: deps.now, logger: deps.logger, tellLapsed: slack.tellLapsed };
}

/** One pass of the reconciler over everything the worker role can see. */
export async function runReconciler(deps: Deps, settlingMs = deps.timings.reconcileSettlingMs) {
  // The worker connection can be back before the producers' (which fail fast while down): wait for it.
  await whenRedisReady(deps.redis, 10_000);
  return reconcile({
    promotions: deps.stores.promotions,
    watermarks: deps.stores.watermarks,
    jobs: deps.promotionQueue,
    expireStale: deps.promotionService.expireStale,
    finishClaimed: (requests, claimedBefore) => finishClaimedRevisions(deps.engine, requests, claimedBefore),
    view: deps.cards,
    withdrawUnshown: deps.promotionService.withdrawUnshown,
    now: deps.now,
    settlingMs,
    logger: deps.logger,
  });
}
