import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { RefusedError } from '../errors.js';
import { isDuplicateKey } from './duplicate-key.js';

/**
 * A mutual-exclusion lease in MongoDB, for changes that must read and write several documents as one
 * (MongoDB-wire servers here have no multi-document transactions). The lease document's `_id` is the key, so
 * the primary-key index makes a second taker fail; an expired lease (its holder died) can be taken over.
 */
export type Lease = { release(): Promise<void> };

export type Leases = {
  /** Takes the team's lease `name` if it is free (or expired); null when someone else holds it. */
  acquire(teamId: string, name: string): Promise<Lease | null>;
  /**
   * Runs `work` while holding the team's lease `name`; waits up to `waitMs` for a current holder to finish,
   * then refuses with `busy` (a message telling the user what to do).
   */
  withLease<T>(teamId: string, name: string, busy: string, work: () => Promise<T>): Promise<T>;
};

type LeaseDocument = { _id: string; teamId: string; name: string; holder: string; until: Date };

export function createLeases(db: Db, options: { ttlMs?: number; waitMs?: number } = {}): Leases {
  const leases: Collection<LeaseDocument> = db.collection('leases');
  const ttlMs = options.ttlMs ?? 15_000;
  const waitMs = options.waitMs ?? 5_000;

  async function tryTake(teamId: string, name: string, holder: string): Promise<boolean> {
    const now = new Date();
    try {
      await leases.updateOne(
        { _id: `${teamId}:${name}`, until: { $lt: now } },
        { $set: { teamId, name, holder, until: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  const release = (teamId: string, name: string, holder: string) => async () => {
    await leases.deleteOne({ _id: `${teamId}:${name}`, holder });
  };

  return {
    acquire: async (teamId, name) => {
      const holder = randomUUID();
      return (await tryTake(teamId, name, holder)) ? { release: release(teamId, name, holder) } : null;
    },
    withLease: async (teamId, name, busy, work) => {
      const holder = randomUUID();
      const deadline = Date.now() + waitMs;
      while (!(await tryTake(teamId, name, holder))) {
        if (Date.now() > deadline) throw new RefusedError(busy);
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
      }
      try {
        return await work();
      } finally {
        await release(teamId, name, holder)();
      }
    },
  };
}
