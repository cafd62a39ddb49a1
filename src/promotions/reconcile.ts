import type { Logger } from '../create-logger.js';
import type { Promotion } from './promotion.js';
import type { PromotionView } from './promotion-view.js';
import type { PromotionsStore } from './promotions-store.js';
import type { WatermarksStore } from './watermarks-store.js';

/** What the reconciler needs to know of the queue: is there a live job for a request, and how to queue one anew. */
export type PromotionJobs = {
  state(promotionId: string): Promise<string>;
  requeue(promotionId: string): Promise<void>;
};

const DEAD_JOB_STATES = ['missing', 'completed', 'failed', 'unknown'];
/** How long a request may wait for its card to be posted before the reconciler withdraws it (its poster died). */
export const UNSHOWN_GRACE_MS = 60_000;
/** A card that could not be brought up to date is tried again on each pass for this long. */
const CARD_RETRY_MS = 60_000;
/** On a first pass (no watermark yet), how far back cards are checked. */
const FIRST_LOOK_BACK_MS = 60 * 60_000;
const CARDS_MARK = 'reconciler:cards';

export type ReconcileDeps = {
  promotions: PromotionsStore;
  watermarks: WatermarksStore;
  jobs: PromotionJobs;
  expireStale(): Promise<number>;
  finishClaimed(requests: Promotion[], claimedBefore: Date): Promise<number>;
  view: Pick<PromotionView, 'isShown' | 'converge'>;
  withdrawUnshown(p: Promotion, reason: string): Promise<unknown>;
  now(): Date;
  /**
   * A change younger than this is its live maker's to finish: a claim being applied, an approval whose job is
   * being queued (a producer gives up on Redis within 2 s), an event on its way to the card.
   */
  settlingMs: number;
  logger: Logger;
};

/**
 * The safety net (DESIGN §5): transitions a crashed process left half-done are finished, approved or running
 * requests without a live job (Redis lost its data, a worker died after its last attempt) are queued again (unless
 * their card was never posted: then they are withdrawn), pending requests past their expiry are expired, and
 * every card shows its request as stored (an update lost to an outage or a crash is made again). It leaves alone
 * what live processes are doing: nothing younger than `settlingMs`.
 */
export async function reconcile(
  deps: ReconcileDeps,
): Promise<{ finished: number; expired: number; requeued: number; withdrawn: number; converged: number }> {
  const settledBefore = new Date(deps.now().getTime() - deps.settlingMs);
  const finished = await deps.finishClaimed(
    await deps.promotions.inStates(['pending_approval', 'approved', 'running']),
    settledBefore,
  );
  const expired = await deps.expireStale();
  const { requeued, withdrawn } = await requeueOrphans(deps, settledBefore);
  const converged = await convergeCards(deps, settledBefore);
  return { finished, expired, requeued, withdrawn, converged };
}

async function requeueOrphans(deps: ReconcileDeps, settledBefore: Date) {
  let [requeued, withdrawn] = [0, 0];
  for (const listed of await deps.promotions.inStates(['approved', 'running'])) {
    if (listed.updatedAt > settledBefore) continue;
    const state = await deps.jobs.state(listed.id);
    if (!DEAD_JOB_STATES.includes(state)) continue;
    // Read again after the job's state: a job that finished meanwhile has recorded its request by now.
    const p = await deps.promotions.getById(listed.id);
    if (!p || p.rev !== listed.rev) continue;
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
  return { requeued, withdrawn };
}

/**
 * Every request changed since the last pass (and, to retry a card Slack refused, in the last few minutes) whose
 * card shows another revision is shown again. The watermark moves on only once the pass is done, so a pass
 * that fails (Redis, MongoDB or Slack away) is covered by the next.
 */
async function convergeCards(deps: ReconcileDeps, settledBefore: Date): Promise<number> {
  const now = deps.now().getTime();
  const mark = (await deps.watermarks.get(CARDS_MARK))?.getTime() ?? now - FIRST_LOOK_BACK_MS;
  const from = new Date(Math.min(mark, now - CARD_RETRY_MS));
  let converged = 0;
  for (let since = from; ; ) {
    const changed = await deps.promotions.changedBetween(since, settledBefore, BATCH);
    converged += await deps.view.converge(changed);
    const last = changed.at(-1);
    if (changed.length < BATCH || !last || last.updatedAt.getTime() === since.getTime()) break;
    since = last.updatedAt;
  }
  await deps.watermarks.set(CARDS_MARK, settledBefore);
  if (converged > 0) deps.logger.warn({ converged }, 'reconciler: brought cards up to date');
  return converged;
}

const BATCH = 500;
