import { promotionDescription } from '../../src/promotions/promotion.js';
import type { SimRelease } from '../../src/simulator/sim-state.js';
import type { FinalState, StoredPromotion } from './final-state.js';

/**
 * What the platform says happened for a request: the releases made for it (by their description,
 * `Promote stage-N vK sha7`, which names one upstream build: each pipeline here has one upstream, and each
 * request pins a build no earlier request pinned for that app), and whether its downstream moved for another
 * reason after the request (a release that is not its own, onto another build).
 */
export function releaseFacts(state: FinalState, p: StoredPromotion) {
  const releases: SimRelease[] = state.releases.get(p.downstream) ?? [];
  const description = promotionDescription(p);
  const own = releases.filter((r) => r.description === description);
  const movedBy = releases.find(
    (r) =>
      r.version > p.downstreamAtRequest.version &&
      r.description !== description &&
      r.slugId !== p.downstreamAtRequest.slugId,
  );
  return { description, own, movedBy };
}
