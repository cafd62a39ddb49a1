import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent, isDuplicateKey } from '../mongo/duplicate-key.js';
import type { Promotion, PromotionState } from './promotion.js';
import type { PromotionEventType } from './promotion-events.js';

type PromotionDocument = Omit<Promotion, 'id'> & { _id: string };

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
  const fromDocs = (docs: PromotionDocument[]): Promotion[] => docs.map(toPromotion);
  const fromDoc = (doc: PromotionDocument | null): Promotion | null => (doc ? toPromotion(doc) : null);
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
      fromDocs(
        await promotions
          .find({ teamId, ...(states ? { state: { $in: states } } : {}) })
          .sort({ createdAt: -1 })
          .limit(limit)
          .toArray(),
      ),
    byResult: async (teamId, downstream, releaseId) =>
      fromDoc(await promotions.findOne({ teamId, downstream, 'result.releaseId': releaseId })),
    inStates: async (states, limit = 500) =>
      fromDocs(
        await promotions
          .find({ state: { $in: states } })
          .sort({ createdAt: 1 })
          .limit(limit)
          .toArray(),
      ),
  };
}

function toPromotion({ _id, ...rest }: PromotionDocument): Promotion {
  return { id: _id, ...rest };
}
