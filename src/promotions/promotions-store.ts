import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent, isDuplicateKey, retryOnDuplicateKey } from '../mongo/duplicate-key.js';
import type { Promotion, PromotionState } from './promotion.js';
import type { PromotionEventType } from './promotion-events.js';

type PromotionDocument = Omit<Promotion, 'id' | 'card'> & { _id: string };
/** Where a request's card is, kept apart from the request (see `setCard`). */
type CardDocument = { _id: string; at: Date; channelId?: string; ts?: string };

/**
 * A claimed revision of a request: written before the request itself changes. Its `_id` (request id and new
 * revision) is what makes a transition exclusive: the primary-key index lets exactly one contender insert it, on
 * MongoDB and on FerretDB alike (whose conditional updates are not atomic under concurrency). It carries all that
 * is needed to finish the transition, so if its writer dies, another process can.
 */
export type RevisionMarker = {
  _id: string;
  promotionId: string;
  rev: number;
  patch: Partial<Promotion>;
  note: { type: PromotionEventType; by?: string; reason?: string; version?: number };
  at: Date;
};

export type PromotionsStore = {
  /** Inserts, or returns the record already made under the same request key (a retry, a double click). */
  insertOnce(promotion: Promotion): Promise<{ promotion: Promotion; created: boolean }>;
  get(teamId: string, id: string): Promise<Promotion | null>;
  /** For the engine, whose jobs carry only the id. */
  getById(id: string): Promise<Promotion | null>;
  byRequestKey(teamId: string, requestKey: string): Promise<Promotion | null>;
  /** Claims a revision: true for exactly one contender. */
  claim(marker: RevisionMarker): Promise<boolean>;
  marker(promotionId: string, rev: number): Promise<RevisionMarker | null>;
  /** Applies a claimed revision to a request still at the revision before it; a no-op once applied. */
  apply(marker: RevisionMarker): Promise<void>;
  /** The request that made this release of `downstream`, once its result is recorded. */
  byResult(teamId: string, downstream: string, releaseId: string): Promise<Promotion | null>;
  /**
   * Remembers where the card is; not a transition (the card shows the request, it is not part of it). Kept in
   * its own document: FerretDB rewrites a whole document on update, so a card written onto the request while a
   * transition is applied could undo that transition (or lose the card).
   */
  setCard(id: string, card: { channelId: string; ts: string }): Promise<void>;
  /** A team's requests, newest first; only those in `states` when given. */
  ofTeam(teamId: string, options: { states?: PromotionState[]; limit: number }): Promise<Promotion[]>;
  /** Requests in these states across all teams (for the engine's reconciler), oldest first. */
  inStates(states: PromotionState[], limit?: number): Promise<Promotion[]>;
};

export const PROMOTIONS_INDEXES: IndexDescription[] = [
  { key: { requestKey: 1 }, name: 'request_key', unique: true },
  { key: { teamId: 1, state: 1 }, name: 'team_state' },
  { key: { state: 1, createdAt: 1 }, name: 'state_created' },
  { key: { teamId: 1, downstream: 1, 'result.releaseId': 1 }, name: 'team_downstream_release' },
];

export function createPromotionsStore(db: Db): PromotionsStore {
  const promotions: Collection<PromotionDocument> = db.collection('promotions');
  const markers: Collection<RevisionMarker> = db.collection('promotion_revisions');
  const cards: Collection<CardDocument> = db.collection('promotion_cards');
  const withCards = async (docs: PromotionDocument[]): Promise<Promotion[]> => {
    const placed = await cards.find({ _id: { $in: docs.map((d) => d._id) }, ts: { $exists: true } }).toArray();
    const cardOf = new Map(placed.map((c) => [c._id, { channelId: c.channelId ?? '', ts: c.ts ?? '' }]));
    return docs.map(({ _id, ...rest }) => {
      const card = cardOf.get(_id);
      return { id: _id, ...rest, ...(card ? { card } : {}) };
    });
  };
  const fromDoc = async (doc: PromotionDocument | null): Promise<Promotion | null> =>
    doc ? ((await withCards([doc]))[0] ?? null) : null;
  return {
    insertOnce: async ({ id, ...rest }) => {
      try {
        await promotions.insertOne({ _id: id, ...rest });
        return { promotion: { id, ...rest }, created: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await fromDoc(await promotions.findOne({ requestKey: rest.requestKey, teamId: rest.teamId }));
        if (!existing) throw err;
        return { promotion: existing, created: false };
      }
    },
    get: async (teamId, id) => fromDoc(await promotions.findOne({ _id: id, teamId })),
    getById: async (id) => fromDoc(await promotions.findOne({ _id: id })),
    byRequestKey: async (teamId, requestKey) => fromDoc(await promotions.findOne({ teamId, requestKey })),
    claim: (marker) => insertIfAbsent(markers, marker),
    marker: (promotionId, rev) => markers.findOne({ _id: `${promotionId}:${rev}` }),
    apply: async (marker) => {
      const { id: _ignored, ...fields } = marker.patch;
      await promotions.updateOne(
        { _id: marker.promotionId, rev: marker.rev - 1 },
        { $set: { ...fields, rev: marker.rev } },
      );
    },
    ofTeam: async (teamId, { states, limit }) =>
      withCards(
        await promotions
          .find({ teamId, ...(states ? { state: { $in: states } } : {}) })
          .sort({ createdAt: -1 })
          .limit(limit)
          .toArray(),
      ),
    byResult: async (teamId, downstream, releaseId) =>
      fromDoc(await promotions.findOne({ teamId, downstream, 'result.releaseId': releaseId })),
    setCard: async (id, card) => {
      await retryOnDuplicateKey(() => cards.updateOne({ _id: id }, { $set: card }, { upsert: true }));
    },
    inStates: async (states, limit = 500) =>
      withCards(
        await promotions
          .find({ state: { $in: states } })
          .sort({ createdAt: 1 })
          .limit(limit)
          .toArray(),
      ),
  };
}
