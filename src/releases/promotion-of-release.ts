import { type Promotion, releaseDescriptionOf } from '../promotions/promotion.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import type { Announcement } from './announcement.js';

/** Our releases carry our words (`Promote myapp-staging v6 0f0a53b`) or the platform's for a rollback. */
export function mayBeOurs(description: string): boolean {
  return /^(Promote \S+ v\d+|Rollback to v\d+)\b/.test(description);
}

/**
 * The request that made this release, if we made it. The platform's webhook can beat the engine's record of
 * the result, so a running request that writes exactly this description counts too.
 */
export async function promotionOfRelease(
  promotions: PromotionsStore,
  a: Pick<Announcement, 'teamId' | 'app' | 'releaseId' | 'release'>,
): Promise<Promotion | null> {
  // Most releases are plain deploys and config changes: no need to ask.
  if (!mayBeOurs(a.release.description)) return null;
  const recorded = await promotions.byResult(a.teamId, a.app, a.releaseId);
  if (recorded) return recorded;
  const running = await promotions.ofTeam(a.teamId, { states: ['running'], limit: 50 });
  return running.find((p) => p.downstream === a.app && releaseDescriptionOf(p) === a.release.description) ?? null;
}
