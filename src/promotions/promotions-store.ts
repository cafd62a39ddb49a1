import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent, isDuplicateKey } from '../mongo/duplicate-key.js';
import { isTerminal, OPEN_STATES, type Promotion, type PromotionState } from './promotion.js';
import type { PromotionEventType } from './promotion-events.js';

/**
 * `openKey` is what a request asks for (its pair of releases, `openKeyOf`) while it is open, and its own id once it
 * has ended: the unique index on it lets one request at a time be open for the same change, on MongoDB and
 * FerretDB alike (neither a partial nor a sparse index would do on FerretDB).
 */
type PromotionDocument = Omit<Promotion, 'id'> & { _id: string; openKey: string };

/** The change a request asks for: one open request per (upstream release, downstream build) of a link. */
export function openKeyOf(p: Promotion): string {
  // A rollback tells releases apart by id (it may restore config); a promotion by build, as "moved" does.
  const downstream = p.kind === 'rollback' ? p.downstreamAtRequest.id : (p.downstreamAtRequest.slugId ?? 'none');
  return [p.teamId, p.kind, p.upstream, p.source.id, p.downstream, downstream].join('|');
}

const openKeyFor = (p: Promotion) => (isTerminal(p.state) ? p.id : openKeyOf(p));

/** The open request for the same change as another. */
export type OpenedRequest = { promotion: Promotion; created: boolean; alreadyOpen?: boolean };

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
  /**
   * Inserts, or returns the record already made under the same request key (a retry, a double click), or the
   * request already open for the same change (`alreadyOpen`).
   */
  insertOnce(promotion: Promotion): Promise<OpenedRequest>;
  get(teamId: string, id: string): Promise<Promotion | null>;
  /** For the engine, whose jobs carry only the id. */
  getById(id: string): Promise<Promotion | null>;
  byRequestKey(teamId: string, requestKey: string): Promise<Promotion | null>;
  /**
   * Notes a platform write about to go out (`at`), or that its outcome is known (null). Not a transition: only the
   * holder of the downstream's lease writes it, and nothing is shown of it.
   */
  markWriting(id: string, at: Date | null): Promise<void>;
  /** Claims a revision: true for exactly one contender. */
  claim(marker: RevisionMarker): Promise<boolean>;
  marker(promotionId: string, rev: number): Promise<RevisionMarker | null>;
  /** Applies a claimed revision to a request still at the revision before it; a no-op once applied. */
  apply(marker: RevisionMarker): Promise<void>;
  /** The request that made this release of `downstream`, once its result is recorded. */
  byResult(teamId: string, downstream: string, releaseId: string): Promise<Promotion | null>;
  /** A team's requests, newest first; only those in `states` when given. */
  ofTeam(teamId: string, options: { states?: PromotionState[]; limit: number }): Promise<Promotion[]>;
  /** The open requests into an app, across teams (a webhook does not say whose app it is). */
  openInto(downstream: string, teamId?: string): Promise<Promotion[]>;
  /** A team's requests into `downstream` in state `running` (at most one, unless a worker died mid-attempt). */
  runningInto(teamId: string, downstream: string): Promise<Promotion[]>;
  /** Requests changed in [from, to], across teams (the reconciler brings their cards up to date), oldest first. */
  changedBetween(from: Date, to: Date, limit?: number): Promise<Promotion[]>;
  /** Requests in these states across all teams (for the engine's reconciler), oldest first. */
  inStates(states: PromotionState[], limit?: number): Promise<Promotion[]>;
};

export const PROMOTIONS_INDEXES: IndexDescription[] = [
  { key: { requestKey: 1 }, name: 'request_key', unique: true },
  { key: { teamId: 1, state: 1 }, name: 'team_state' },
  { key: { state: 1, createdAt: 1 }, name: 'state_created' },
  { key: { teamId: 1, downstream: 1, 'result.releaseId': 1 }, name: 'team_downstream_release' },
  { key: { openKey: 1 }, name: 'open_key', unique: true },
  { key: { downstream: 1, state: 1 }, name: 'downstream_state' },
  { key: { updatedAt: 1 }, name: 'updated' },
];

/**
 * Requests stored before `openKey` existed get one (their id: none of them is open for a new request's sake),
 * before its unique index is built, which every document must satisfy.
 */
export async function backfillOpenKeys(db: Db): Promise<void> {
  const promotions: Collection<PromotionDocument> = db.collection('promotions');
  for (const doc of await promotions.find({ openKey: { $exists: false } }, { projection: { _id: 1 } }).toArray()) {
    await promotions.updateOne({ _id: doc._id, openKey: { $exists: false } }, { $set: { openKey: doc._id } });
  }
}

export function createPromotionsStore(db: Db): PromotionsStore {
  const promotions: Collection<PromotionDocument> = db.collection('promotions');
  const markers: Collection<RevisionMarker> = db.collection('promotion_revisions');
  const fromDocs = (docs: PromotionDocument[]): Promotion[] => docs.map(toPromotion);
  const fromDoc = (doc: PromotionDocument | null): Promotion | null => (doc ? toPromotion(doc) : null);
  return {
    insertOnce: async (promotion) => {
      const { id, ...rest } = promotion;
      // Twice at most: the open request that refused this one may end before it is looked up (then its change is free).
      for (let attempt = 0; ; attempt++) {
        try {
          await promotions.insertOne({ _id: id, ...rest, openKey: openKeyFor(promotion) });
          return { promotion, created: true };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const same = fromDoc(await promotions.findOne({ requestKey: rest.requestKey, teamId: rest.teamId }));
          if (same) return { promotion: same, created: false };
          const open = fromDoc(await promotions.findOne({ openKey: openKeyFor(promotion) }));
          if (open) return { promotion: open, created: false, alreadyOpen: true };
          if (attempt > 0) throw err;
        }
      }
    },
    get: async (teamId, id) => fromDoc(await promotions.findOne({ _id: id, teamId })),
    getById: async (id) => fromDoc(await promotions.findOne({ _id: id })),
    byRequestKey: async (teamId, requestKey) => fromDoc(await promotions.findOne({ teamId, requestKey })),
    markWriting: async (id, at) => void (await promotions.updateOne({ _id: id }, { $set: { writingSince: at } })),
    claim: (marker) => insertIfAbsent(markers, marker),
    marker: (promotionId, rev) => markers.findOne({ _id: `${promotionId}:${rev}` }),
    apply: async (marker) => {
      const { id: _ignored, ...fields } = marker.patch;
      // An ended request frees its change for a new request.
      const ended = fields.state && isTerminal(fields.state) ? { openKey: marker.promotionId } : {};
      await promotions.updateOne(
        { _id: marker.promotionId, rev: marker.rev - 1 },
        { $set: { ...fields, ...ended, rev: marker.rev } },
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
    openInto: async (downstream, teamId) =>
      fromDocs(
        await promotions
          .find({ downstream, state: { $in: [...OPEN_STATES] }, ...(teamId ? { teamId } : {}) })
          .limit(500)
          .toArray(),
      ),
    runningInto: async (teamId, downstream) =>
      fromDocs(await promotions.find({ downstream, state: 'running', teamId }).limit(20).toArray()),
    changedBetween: async (from, to, limit = 500) =>
      fromDocs(
        await promotions
          .find({ updatedAt: { $gte: from, $lte: to } })
          .sort({ updatedAt: 1 })
          .limit(limit)
          .toArray(),
      ),
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

function toPromotion({ _id, openKey: _open, ...rest }: PromotionDocument): Promotion {
  return { id: _id, ...rest };
}
