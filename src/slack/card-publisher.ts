import type { WebClient } from '@slack/web-api';
import type { Db } from 'mongodb';
import type { Logger } from '../create-logger.js';
import { whileStoreAway } from '../mongo/while-store-away.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { Promotion } from '../promotions/promotion.js';
import type { PromotionView } from '../promotions/promotion-view.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import { promotionCard } from './blocks/promotion-card.js';
import { cardPermalink } from './card-permalink.js';
import { type CardPlace, createCardPlaces } from './card-places.js';

export type CardPublisher = ReturnType<typeof createCardPublisher>;

/** Enough for the transitions of one request to come to rest; the next event refreshes again anyway. */
const REFRESH_ROUNDS = 3;

/**
 * The Slack side of `PromotionView`: posts a request's card and keeps it true. Every refresh renders the request
 * as stored now, so events that arrive late or twice never show an older state.
 */
export function createCardPublisher(deps: {
  client: WebClient;
  db: Db;
  promotions: PromotionsStore;
  apps: AppsStore;
  logger: Logger;
}) {
  const places = createCardPlaces(deps.db);
  const render = async (p: Promotion) => {
    const settings = await deps.apps.get(p.teamId, p.upstream);
    return promotionCard(p, settings.repo);
  };
  const refresh = async (promotionId: string): Promise<void> => {
    const place = await places.of(promotionId);
    let p = place && (await deps.promotions.getById(promotionId));
    for (let round = 0; place && p && round < REFRESH_ROUNDS; round++) {
      await deps.client.chat.update({ channel: place.channelId, ts: place.ts, ...(await render(p)) });
      await places.shown(promotionId, p.rev);
      // Two refreshes at once can reach Slack in either order: the one whose rendering was already old when it
      // landed renders again, so the card ends on the stored state.
      const now: Promotion | null = await deps.promotions.getById(promotionId);
      if (!now || now.rev === p.rev) return;
      p = now;
    }
  };
  const view: PromotionView = {
    refresh,
    converge: async (requests) => {
      const behind = await places.behind(new Map(requests.map((p) => [p.id, p.rev])));
      for (const id of behind) {
        try {
          await refresh(id);
        } catch (err) {
          deps.logger.warn({ err, promotionId: id }, 'card could not be brought up to date; trying again next pass');
        }
      }
      return behind.length;
    },
    isShown: async (promotionId) => (await places.of(promotionId)) !== undefined,
  };
  return {
    ...view,
    /** Where the card is, for links to it and for App Home. */
    places,
    /**
     * A click came from this message: it is the request's card. If its place was never recorded (the store was
     * away right after the post), record it now, so the card is updated and the request is known to be shown.
     */
    seen: async (promotionId: string, place: Partial<CardPlace>): Promise<void> => {
      if (!place.channelId || !place.ts || (await places.of(promotionId))) return;
      // An unknown revision: the next refresh or reconciler pass shows the request as stored.
      await places.set(promotionId, { channelId: place.channelId, ts: place.ts, shownRev: -1 });
    },
    permalink: (promotionId: string) => cardPermalink(deps.client, places, promotionId),
    post: async (p: Promotion, channelId: string): Promise<void> => {
      // Retried or replayed commands find the request already claimed: one card.
      if (!(await places.claim(p.id, new Date()))) return;
      const posted = await deps.client.chat.postMessage({ channel: channelId, ...(await render(p)) });
      if (!posted.ts) {
        // Slack said ok without saying where: this card will never be updated, so someone must know.
        deps.logger.error(
          { promotionId: p.id, channelId },
          'chat.postMessage answered without a ts: card cannot be updated',
        );
        return;
      }
      // The card is in Slack already: losing where it is would leave it never updated, and its request withdrawn.
      await whileStoreAway(() => places.set(p.id, { channelId, ts: posted.ts as string, shownRev: p.rev }));
      // The one place "an event before the card" is handled: events that came while the card was on its way
      // found no card to update, so catch up once.
      if ((await deps.promotions.getById(p.id))?.rev !== p.rev) await refresh(p.id);
    },
  };
}
