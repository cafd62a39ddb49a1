import type { Collection, Db, IndexDescription } from 'mongodb';
import { isDuplicateKey } from '../store/duplicate-key.js';
import type { Promotion, PromotionState } from './promotion.js';

type PromotionDocument = Omit<Promotion, 'id'> & { _id: string };

/**
 * One document per revision of a request, written before the request itself changes. Its `_id` (request id and
 * the new revision) is what makes a transition exclusive: the primary-key index lets exactly one contender insert
 * it, on MongoDB and on FerretDB alike (whose conditional updates are not atomic under concurrency). If the winner
 * dies before applying it, the next contender finds the marker and applies it for them.
 */
type TransitionMarker = { _id: string; promotionId: string; rev: number; patch: Partial<Promotion>; at: Date };

export type PromotionsStore = {
  /** Inserts, or returns the record already made under the same request key (a retry, a double click). */
  insertOnce(promotion: Promotion): Promise<{ promotion: Promotion; created: boolean }>;
  get(teamId: string, id: string): Promise<Promotion | null>;
  /** For the engine, whose jobs carry only the id. */
  getById(id: string): Promise<Promotion | null>;
  byRequestKey(teamId: string, requestKey: string): Promise<Promotion | null>;
  /** Compare-and-set: applies `patch` only if the record is still at `from` (state and rev); null when it is not. */
  transition(
    from: Pick<Promotion, 'teamId' | 'id' | 'state' | 'rev'>,
    patch: Partial<Promotion>,
  ): Promise<Promotion | null>;
  /** Requests in these states across all teams (for the engine's reconciler), oldest first. */
  inStates(states: PromotionState[], limit?: number): Promise<Promotion[]>;
};

export const PROMOTIONS_INDEXES: IndexDescription[] = [
  { key: { requestKey: 1 }, name: 'request_key', unique: true },
  { key: { teamId: 1, state: 1 }, name: 'team_state' },
  { key: { state: 1, createdAt: 1 }, name: 'state_created' },
];

export function createPromotionsStore(db: Db): PromotionsStore {
  const promotions: Collection<PromotionDocument> = db.collection('promotions');
  const markers: Collection<TransitionMarker> = db.collection('promotion_transitions');
  /** Applies a marker to a request still at the revision before it; a no-op once applied. */
  const apply = async (marker: TransitionMarker) => {
    const { id: _ignored, ...fields } = marker.patch;
    await promotions.updateOne(
      { _id: marker.promotionId, rev: marker.rev - 1 },
      { $set: { ...fields, rev: marker.rev } },
    );
  };
  const fromDoc = (doc: PromotionDocument | null): Promotion | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  };
  return {
    insertOnce: async ({ id, ...rest }) => {
      try {
        await promotions.insertOne({ _id: id, ...rest });
        return { promotion: { id, ...rest }, created: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = fromDoc(await promotions.findOne({ requestKey: rest.requestKey, teamId: rest.teamId }));
        if (!existing) throw err;
        return { promotion: existing, created: false };
      }
    },
    get: async (teamId, id) => fromDoc(await promotions.findOne({ _id: id, teamId })),
    getById: async (id) => fromDoc(await promotions.findOne({ _id: id })),
    byRequestKey: async (teamId, requestKey) => fromDoc(await promotions.findOne({ teamId, requestKey })),
    transition: async (from, patch) => {
      const rev = from.rev + 1;
      const marker: TransitionMarker = { _id: `${from.id}:${rev}`, promotionId: from.id, rev, patch, at: new Date() };
      const current = await promotions.findOne({ _id: from.id, teamId: from.teamId });
      if (!current || current.rev !== from.rev || current.state !== from.state) return null;
      try {
        await markers.insertOne(marker);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Someone else took this revision: make sure their change is applied, then report the lost race.
        const theirs = await markers.findOne({ _id: marker._id });
        if (theirs) await apply(theirs);
        return null;
      }
      await apply(marker);
      return fromDoc(await promotions.findOne({ _id: from.id }));
    },
    inStates: async (states, limit = 500) =>
      (
        await promotions
          .find({ state: { $in: states } })
          .sort({ createdAt: 1 })
          .limit(limit)
          .toArray()
      ).map((doc) => fromDoc(doc) as Promotion),
  };
}
