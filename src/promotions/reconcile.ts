import type { Logger } from '../create-logger.js';
import type { Promotion } from './promotion.js';
import type { PromotionView } from './promotion-view.js';
import type { PromotionsStore } from './promotions-store.js';

/** What the reconciler needs to know of the queue: is there a live job for a request, and how to queue one anew. */
export type PromotionJobs = {
  state(promotionId: string): Promise<string>;
  requeue(promotionId: string): Promise<void>;
};

const DEAD_JOB_STATES = ['missing', 'completed', 'failed', 'unknown'];
/** How long a request may wait for its card to be posted before the reconciler withdraws it (its poster died). */
export const UNSHOWN_GRACE_MS = 60_000;

/**
 * The safety net (DESIGN §5): transitions a crashed process left half-done are finished, approved or running
 * requests without a live job (Redis lost its data, a worker died after its last attempt) are queued again (unless
 * their card was never posted: then they are withdrawn), and pending requests past their expiry are expired.
 */
export async function reconcile(deps: {
  promotions: PromotionsStore;
  jobs: PromotionJobs;
  expireStale(): Promise<number>;
  finishClaimed(requests: Promotion[]): Promise<number>;
  view: Pick<PromotionView, 'isShown'>;
  withdrawUnshown(p: Promotion, reason: string): Promise<unknown>;
  now(): Date;
  logger: Logger;
}): Promise<{ finished: number; expired: number; requeued: number; withdrawn: number }> {
  const finished = await deps.finishClaimed(
    await deps.promotions.inStates(['pending_approval', 'approved', 'running']),
  );
  const expired = await deps.expireStale();
  let [requeued, withdrawn] = [0, 0];
  for (const p of await deps.promotions.inStates(['approved', 'running'])) {
    const state = await deps.jobs.state(p.id);
    if (!DEAD_JOB_STATES.includes(state)) continue;
    // Its card is not posted yet (or never will be: whoever posted it died): it must not run unseen.
    if (p.state === 'approved' && p.mustBeShown && !(await deps.view.isShown(p.id))) {
      if (deps.now().getTime() - p.createdAt.getTime() < UNSHOWN_GRACE_MS) continue;
      await deps.withdrawUnshown(p, 'its card was never posted');
      withdrawn++;
      continue;
    }
    await deps.jobs.requeue(p.id);
    requeued++;
    deps.logger.warn({ promotionId: p.id, jobState: state }, 'reconciler: queued a request that had no live job');
  }
  return { finished, expired, requeued, withdrawn };
}
