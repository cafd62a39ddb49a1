import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, retryOnDuplicateKey } from '../mongo/duplicate-key.js';

/** Where a request's card is in Slack. */
export type CardPlace = { channelId: string; ts: string };
/** `shownRev`: the request's revision the card last showed (a `chat.update` that Slack took). */
type CardDocument = { _id: string; at: Date; channelId?: string; ts?: string; shownRev?: number };

export type CardPlaces = ReturnType<typeof createCardPlaces>;

/**
 * The one writer and reader of `promotion_cards`: which request's card is posted, and where. Kept apart from the
 * request (the core knows nothing of Slack), and in a document of its own: FerretDB rewrites a whole document on
 * update, so a place written onto the request while a transition is applied could undo that transition.
 */
export function createCardPlaces(db: Db) {
  const cards: Collection<CardDocument> = db.collection('promotion_cards');
  const placeOf = (doc: CardDocument): CardPlace | undefined =>
    doc.channelId && doc.ts ? { channelId: doc.channelId, ts: doc.ts } : undefined;
  return {
    /** True for exactly one caller per request, however many deliveries of a command race: that one posts. */
    claim: (promotionId: string, at: Date) => insertIfAbsent(cards, { _id: promotionId, at }),
    set: async (promotionId: string, place: CardPlace & { shownRev: number }): Promise<void> => {
      await retryOnDuplicateKey(() => cards.updateOne({ _id: promotionId }, { $set: place }, { upsert: true }));
    },
    shown: async (promotionId: string, rev: number): Promise<void> => {
      await cards.updateOne({ _id: promotionId }, { $set: { shownRev: rev } });
    },
    /** Of these requests, the ones whose card is posted and shows another revision than `revs` says. */
    behind: async (revs: ReadonlyMap<string, number>): Promise<string[]> => {
      const docs = await cards.find({ _id: { $in: [...revs.keys()] } }).toArray();
      return docs.filter((doc) => placeOf(doc) && doc.shownRev !== revs.get(doc._id)).map((doc) => doc._id);
    },
    of: async (promotionId: string): Promise<CardPlace | undefined> => {
      const doc = await cards.findOne({ _id: promotionId });
      return doc ? placeOf(doc) : undefined;
    },
    /** The places of several requests at once (App Home lists many). */
    ofMany: async (promotionIds: readonly string[]): Promise<Map<string, CardPlace>> => {
      const docs = await cards.find({ _id: { $in: [...promotionIds] } }).toArray();
      return new Map(
        docs.flatMap((doc) => {
          const place = placeOf(doc);
          return place ? [[doc._id, place] as const] : [];
        }),
      );
    },
  };
}
