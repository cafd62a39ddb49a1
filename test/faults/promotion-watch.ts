import type { Db } from 'mongodb';
import type { PromotionState } from '../../src/promotions/promotion.js';

/** The fields of a stored request the run reads while it drives (the diff is left out: it can be large). */
export type WatchedPromotion = {
  _id: string;
  requestKey: string;
  state: PromotionState;
  rev: number;
  downstream: string;
  requestedBy: string;
  approvals: { userId: string }[];
  error?: string;
  result?: { releaseId: string; version: number };
};

type Waiter = {
  matches(p: WatchedPromotion): boolean;
  key?: string;
  id?: string;
  resolve(p: WatchedPromotion | undefined): void;
  deadline: number;
  last?: WatchedPromotion;
};

const POLL_MS = 300;
/** A read that takes longer is given up (FerretDB restarting can leave one hanging), and polling goes on. */
const READ_MS = 5_000;

/**
 * One reader of `promotions` for every driver at once: a poll every 300 ms for all that is waited on, instead of
 * twenty drivers polling FerretDB each. A round that fails (FerretDB restarting) is simply tried again.
 */
export function createPromotionWatch(db: Db) {
  const promotions = db.collection<WatchedPromotion>('promotions');
  const waiters = new Set<Waiter>();
  let timer: NodeJS.Timeout | undefined;
  let pollingSince: number | undefined;
  const stats = { polls: 0, failures: 0, lastError: '' };

  const poll = async () => {
    if (pollingSince !== undefined && Date.now() - pollingSince < 2 * READ_MS) return;
    const since = Date.now();
    pollingSince = since;
    stats.polls++;
    try {
      const keys = [...waiters].flatMap((w) => (w.key ? [w.key] : []));
      const ids = [...waiters].flatMap((w) => (w.id ? [w.id] : []));
      const found =
        keys.length + ids.length === 0
          ? []
          : await promotions
              .find({ $or: [{ requestKey: { $in: keys } }, { _id: { $in: ids } }] }, { projection: { diff: 0 } })
              .maxTimeMS(READ_MS)
              .toArray()
              .catch((err: Error) => {
                stats.failures++;
                stats.lastError = `${err.name}: ${err.message.slice(0, 160)}`;
                return undefined;
              });
      const now = Date.now();
      for (const waiter of waiters) {
        const p = found?.find((f) => (waiter.id ? f._id === waiter.id : f.requestKey === waiter.key));
        if (p) waiter.last = p;
        if (p && waiter.matches(p)) settle(waiter, p);
        else if (now > waiter.deadline) settle(waiter, waiter.last);
      }
    } finally {
      if (pollingSince === since) pollingSince = undefined;
    }
  };
  const settle = (waiter: Waiter, p: WatchedPromotion | undefined) => {
    waiters.delete(waiter);
    waiter.resolve(p);
  };
  const wait = (w: Omit<Waiter, 'resolve' | 'deadline'>, timeoutMs: number) =>
    new Promise<WatchedPromotion | undefined>((resolve) => {
      waiters.add({ ...w, resolve, deadline: Date.now() + timeoutMs });
      timer ??= setInterval(() => void poll(), POLL_MS);
    });

  return {
    /** The request stored under a request key, once it exists (undefined if it never does in time). */
    byRequestKey: (key: string, timeoutMs: number) => wait({ key, matches: () => true }, timeoutMs),
    /** The request once `until` holds for it; at the deadline, the last state seen (or undefined). */
    until: (id: string, until: (p: WatchedPromotion) => boolean, timeoutMs: number) =>
      wait({ id, matches: until }, timeoutMs),
    /** How its reads went: failures and the last error say when the run's own view of the store was blind. */
    stats: () => ({ ...stats }),
    stop: () => {
      clearInterval(timer);
      for (const waiter of waiters) settle(waiter, waiter.last);
    },
  };
}

export type PromotionWatch = ReturnType<typeof createPromotionWatch>;
