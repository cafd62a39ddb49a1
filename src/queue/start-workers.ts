import type { Deps } from '../deps.js';
import { reconcile } from '../promotions/reconcile.js';
import { startEventsWorker, startMaintenance, startPromotionWorker } from './promotion-engine.js';

const RECONCILE_EVERY_MS = 30_000;

/** The worker role: the promotion engine, the events consumer, and the reconciler on its schedule. */
export async function startWorkers(deps: Deps): Promise<() => Promise<void>> {
  const promotions = startPromotionWorker(deps.queueDeps, deps.engine, deps.timings);
  // Until the Slack app renders them on cards, events are logged, so an operator can follow a promotion.
  const events = startEventsWorker(deps.queueDeps, async (event) => deps.logger.info({ event }, 'promotion event'));
  const maintenance = await startMaintenance(
    deps.queueDeps,
    RECONCILE_EVERY_MS,
    () =>
      reconcile({
        promotions: deps.stores.promotions,
        jobs: deps.promotionQueue,
        expireStale: deps.promotionService.expireStale,
        logger: deps.logger,
      }),
    deps.logger,
  );
  // Closing a worker waits for its running job: a promotion half-done is finished, not abandoned.
  return async () => {
    await Promise.all([promotions.close(), events.close(), maintenance.close()]);
  };
}
