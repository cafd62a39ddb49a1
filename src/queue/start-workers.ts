import type { Deps } from '../deps.js';
import { reconcile } from '../promotions/reconcile.js';
import { finishClaimedRevisions } from '../promotions/record-transition.js';
import type { CardPublisher } from '../slack/card-publisher.js';
import { closeWorker } from './close-worker.js';
import { startEventsWorker, startMaintenance, startPromotionWorker } from './promotion-engine.js';

const RECONCILE_EVERY_MS = 30_000;
/** Inside main's 10 s shutdown deadline, leaving time to close the connections after. */
const CLOSE_DEADLINE_MS = 8_000;

/**
 * The worker role: the promotion engine, the events consumer (which keeps each request's Slack card true), and
 * the reconciler on its schedule.
 */
export async function startWorkers(deps: Deps, cards: Pick<CardPublisher, 'refresh'>): Promise<() => Promise<void>> {
  const promotions = startPromotionWorker(deps.queueDeps, deps.engine, deps.timings);
  const events = startEventsWorker(deps.queueDeps, async (event) => {
    deps.logger.info({ event }, 'promotion event');
    await cards.refresh(event.promotionId);
  });
  const maintenance = await startMaintenance(
    deps.queueDeps,
    RECONCILE_EVERY_MS,
    () => runReconciler(deps),
    deps.logger,
  );
  // Closing a worker waits for its running job: a promotion half-done is finished, not abandoned (within the
  // shutdown deadline; past it the job stalls and another worker finishes it).
  return async () => {
    await Promise.all([
      closeWorker(promotions, CLOSE_DEADLINE_MS),
      closeWorker(events, CLOSE_DEADLINE_MS),
      maintenance.close(CLOSE_DEADLINE_MS),
    ]);
  };
}

/** One pass of the reconciler over everything the worker role can see. */
export function runReconciler(deps: Deps) {
  return reconcile({
    promotions: deps.stores.promotions,
    jobs: deps.promotionQueue,
    expireStale: deps.promotionService.expireStale,
    finishClaimed: (requests) => finishClaimedRevisions(deps.engine, requests),
    logger: deps.logger,
  });
}
