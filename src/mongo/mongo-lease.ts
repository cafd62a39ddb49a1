import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { RefusedError } from '../errors.js';
import { insertIfAbsent } from './duplicate-key.js';

/** A held lease; it renews itself until released, and says so if it was lost anyway (a long stall). */
export type Lease = { release(): Promise<void>; held(): boolean };

/**
 * Mutual exclusion in MongoDB, for work that must not overlap across processes (a team's graph changes, deploys
 * into one app). Every step that decides who holds a lease is an insert into a unique key, because that is
 * atomic on MongoDB and on FerretDB alike (FerretDB's conditional updates are not, under concurrency).
 */
export type Leases = {
  /** Takes the team's lease `name` if it is free (or its holder died); null when someone else holds it. */
  acquire(teamId: string, name: string): Promise<Lease | null>;
  /**
   * Runs `work` while holding the lease; waits up to `waitMs` for a current holder to finish, then refuses with
   * `busy` (a message telling the user what to do).
   */
  withLease<T>(teamId: string, name: string, busy: string, work: () => Promise<T>): Promise<T>;
};

type LeaseDocument = { _id: string; teamId: string; name: string; holder: string; until: Date };

export function createLeases(db: Db, options: { ttlMs?: number; waitMs?: number } = {}): Leases {
  const leases: Collection<LeaseDocument> = db.collection('leases');
  // One document per expired holder: only the contender that inserts it may take that lease over.
  const takeovers: Collection<{ _id: string; teamId: string; at: Date }> = db.collection('lease_takeovers');
  const ttlMs = options.ttlMs ?? 15_000;
  const waitMs = options.waitMs ?? 5_000;

  async function tryTake(teamId: string, name: string, holder: string): Promise<boolean> {
    const now = new Date();
    const doc = { _id: `${teamId}:${name}`, teamId, name, holder, until: new Date(now.getTime() + ttlMs) };
    if (await insertIfAbsent(leases, doc)) return true;
    const current = await leases.findOne({ _id: doc._id });
    if (!current || current.until >= now) return false;
    if (!(await claimTakeover(teamId, `${doc._id}:${current.holder}`, now))) return false;
    const replaced = await leases.replaceOne({ _id: doc._id, holder: current.holder }, doc);
    // The dead holder's document vanished meanwhile (it released after all): compete for a fresh one.
    return replaced.matchedCount === 1 || insertIfAbsent(leases, doc);
  }

  /**
   * The right to replace one dead holder. If whoever won it died before replacing (or MongoDB dropped the
   * connection in between), the lease would stay dead forever: a claim older than a lease's lifetime is given up.
   */
  async function claimTakeover(teamId: string, _id: string, now: Date): Promise<boolean> {
    if (await insertIfAbsent(takeovers, { _id, teamId, at: now })) return true;
    const stale = await takeovers.findOne({ _id });
    if (!stale || now.getTime() - stale.at.getTime() < ttlMs) return false;
    await takeovers.deleteOne({ _id, at: stale.at });
    return insertIfAbsent(takeovers, { _id, teamId, at: now });
  }

  function holding(teamId: string, name: string, holder: string): Lease {
    const _id = `${teamId}:${name}`;
    let until = Date.now() + ttlMs;
    let lost = false;
    const renew = async () => {
      try {
        const renewed = await leases.updateOne({ _id, holder }, { $set: { until: new Date(Date.now() + ttlMs) } });
        if (renewed.matchedCount === 1) until = Date.now() + ttlMs;
        else lost = true;
      } catch {
        // MongoDB unreachable: the lease stands until its last known expiry, checked in held().
      }
    };
    const timer = setInterval(() => void renew(), Math.max(ttlMs / 3, 100));
    timer.unref();
    return {
      held: () => !lost && Date.now() < until,
      release: async () => {
        clearInterval(timer);
        await leases.deleteOne({ _id, holder });
      },
    };
  }

  return {
    acquire: async (teamId, name) => {
      const holder = randomUUID();
      return (await tryTake(teamId, name, holder)) ? holding(teamId, name, holder) : null;
    },
    withLease: async (teamId, name, busy, work) => {
      const deadline = Date.now() + waitMs;
      let lease: Lease | null = null;
      while (!lease) {
        const holder = randomUUID();
        if (await tryTake(teamId, name, holder)) lease = holding(teamId, name, holder);
        else if (Date.now() > deadline) throw new RefusedError(busy);
        else await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
      }
      try {
        return await work();
      } finally {
        await lease.release();
      }
    },
  };
}
