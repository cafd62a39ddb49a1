import { type Promotion, releaseDescriptionOf } from '../promotions/promotion.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import type { Announcement } from './announcement.js';

/**
 * The request that made this release, if we made it. The platform's webhook can beat the engine's record of
 * the result, so a running request that writes exactly this description counts too.
 */
export async function promotionOfRelease(
  promotions: PromotionsStore,
  a: Pick<Announcement, 'teamId' | 'app' | 'releaseId' | 'release'>,
): Promise<Promotion | null> {
  const recorded = await promotions.byResult(a.teamId, a.app, a.releaseId);
  if (recorded) return recorded;
  const running = await promotions.ofTeam(a.teamId, { states: ['running'], limit: 50 });
  return running.find((p) => p.downstream === a.app && releaseDescriptionOf(p) === a.release.description) ?? null;
}
