import type { Db } from 'mongodb';
import type { Promotion } from '../../src/promotions/promotion.js';
import type { SimRelease } from '../../src/simulator/sim-state.js';
import type { Simulator } from '../../src/simulator/start-simulator.js';
import { downstreamOf } from './fault-people.js';

export type StoredPromotion = Omit<Promotion, 'id' | 'diff'> & { _id: string };
export type StoredAuditEvent = {
  key: string;
  promotionId: string;
  action: string;
  actor: string;
  at: Date;
  details?: { reason?: string; version?: number };
};
export type StoredCard = { _id: string; channelId?: string; ts?: string };

/** Everything the invariants are judged on, read at one moment: the store as the bot left it, and the platform. */
export type FinalState = {
  promotions: StoredPromotion[];
  audit: StoredAuditEvent[];
  cards: StoredCard[];
  /** Each downstream app's releases, oldest first, as the platform has them. */
  releases: Map<string, SimRelease[]>;
};

export async function readFinalState(db: Db, simulator: Simulator, apps: number): Promise<FinalState> {
  const [promotions, audit, cards] = await Promise.all([
    db
      .collection<StoredPromotion>('promotions')
      .find({}, { projection: { diff: 0 } })
      .toArray(),
    db
      .collection<StoredAuditEvent>('audit')
      .find(
        { promotionId: { $exists: true } },
        { projection: { key: 1, promotionId: 1, action: 1, actor: 1, at: 1, details: 1 } },
      )
      .toArray(),
    db.collection<StoredCard>('promotion_cards').find({}).toArray(),
  ]);
  const releases = new Map<string, SimRelease[]>();
  for (let n = 1; n <= apps; n++) releases.set(downstreamOf(n), simulator.state.releasesOf(downstreamOf(n)));
  return { promotions, audit, cards, releases };
}
