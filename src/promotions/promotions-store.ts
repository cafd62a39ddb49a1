import type { Collection, Db, IndexDescription } from 'mongodb';
import { isDuplicateKey } from '../store/duplicate-key.js';
import type { Promotion, PromotionState } from './promotion.js';

type PromotionDocument = Omit<Promotion, 'id'> & { _id: string };

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
      const { id: _id, ...fields } = patch;
      const updated = await promotions.findOneAndUpdate(
        { _id: from.id, teamId: from.teamId, state: from.state, rev: from.rev },
        { $set: { ...fields, rev: from.rev + 1 } },
        { returnDocument: 'after' },
      );
      return fromDoc(updated);
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
