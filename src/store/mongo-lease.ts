import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { RefusedError } from '../errors.js';
import { isDuplicateKey } from './is-duplicate-key.js';

/**
 * A mutual-exclusion lease in MongoDB, for changes that must read and write several documents as one
 * (MongoDB-wire servers here have no multi-document transactions). The lease document's `_id` is the key, so
 * the primary-key index makes a second taker fail; an expired lease (its holder died) can be taken over.
 */
export type Leases = {
  /** Runs `work` while holding `key`; waits up to `waitMs` for a current holder to finish. */
  withLease<T>(key: string, work: () => Promise<T>): Promise<T>;
};

type LeaseDocument = { _id: string; holder: string; until: Date };

export function createLeases(db: Db, options: { ttlMs?: number; waitMs?: number } = {}): Leases {
  const leases: Collection<LeaseDocument> = db.collection('leases');
  const ttlMs = options.ttlMs ?? 15_000;
  const waitMs = options.waitMs ?? 5_000;

  async function tryTake(key: string, holder: string): Promise<boolean> {
    const now = new Date();
    try {
      await leases.updateOne(
        { _id: key, until: { $lt: now } },
        { $set: { holder, until: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  return {
    withLease: async (key, work) => {
      const holder = randomUUID();
      const deadline = Date.now() + waitMs;
      while (!(await tryTake(key, holder))) {
        if (Date.now() > deadline) {
          throw new RefusedError('Another change to this pipeline is still in progress; try again in a moment.');
        }
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
      }
      try {
        return await work();
      } finally {
        await leases.deleteOne({ _id: key, holder });
      }
    },
  };
}
