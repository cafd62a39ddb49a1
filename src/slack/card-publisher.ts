import type { WebClient } from '@slack/web-api';
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../create-logger.js';
import { insertIfAbsent } from '../mongo/duplicate-key.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { Promotion } from '../promotions/promotion.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import { promotionCard } from './blocks/promotion-card.js';

export type CardPublisher = ReturnType<typeof createCardPublisher>;

/**
 * Posts a request's card and keeps it true: every refresh renders the request as stored now, so events that
 * arrive late or twice never show an older state.
 */
export function createCardPublisher(deps: {
  client: WebClient;
  db: Db;
  promotions: PromotionsStore;
  apps: AppsStore;
  logger: Logger;
}) {
  // One document a request: whoever inserts it posts the card, so retried or replayed commands post one card.
  const claims: Collection<{ _id: string; at: Date }> = deps.db.collection('promotion_cards');
  const render = async (p: Promotion) => {
    const settings = await deps.apps.get(p.teamId, p.upstream);
    return promotionCard(p, settings.repo);
  };
  const refresh = async (promotionId: string): Promise<void> => {
    const p = await deps.promotions.getById(promotionId);
    if (!p?.card) return;
    await deps.client.chat.update({ channel: p.card.channelId, ts: p.card.ts, ...(await render(p)) });
  };
  return {
    post: async (p: Promotion, channelId: string): Promise<void> => {
      if (p.card || !(await insertIfAbsent(claims, { _id: p.id, at: new Date() }))) return;
      const posted = await deps.client.chat.postMessage({ channel: channelId, ...(await render(p)) });
      if (!posted.ts) return;
      await deps.promotions.setCard(p.id, { channelId, ts: posted.ts });
      // Events that came while the card was on its way found no card to update: catch up once.
      if ((await deps.promotions.getById(p.id))?.rev !== p.rev) await refresh(p.id);
    },
    refresh,
  };
}
