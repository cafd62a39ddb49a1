import type { Db, IndexDescription } from 'mongodb';
import { AUDIT_INDEXES } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import { APPS_INDEXES } from '../pipelines/apps-store.js';
import { CHANNELS_INDEXES } from '../pipelines/channels-store.js';
import { COUPLINGS_INDEXES } from '../pipelines/couplings-store.js';
import { backfillOpenKeys, PROMOTIONS_INDEXES } from '../promotions/promotions-store.js';
import { ANNOUNCEMENTS_INDEXES } from '../releases/announcements-store.js';
import { SUBSCRIPTIONS_INDEXES } from '../releases/subscriptions-store.js';

/** Every collection's indexes (DESIGN §6); the unique ones carry invariants, so they exist before any write. */
const INDEXES: Record<string, IndexDescription[]> = {
  couplings: COUPLINGS_INDEXES,
  apps: APPS_INDEXES,
  channels: CHANNELS_INDEXES,
  audit: AUDIT_INDEXES,
  promotions: PROMOTIONS_INDEXES,
  subscriptions: SUBSCRIPTIONS_INDEXES,
  announcements: ANNOUNCEMENTS_INDEXES,
};

/** Idempotent: creating an index that exists with the same definition is a no-op. */
export async function ensureIndexes(db: Db): Promise<void> {
  await backfillOpenKeys(db);
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    // One index a call: FerretDB 1.24 drops the connection when a multi-index createIndexes finds them all present.
    for (const index of indexes) await db.collection(collection).createIndexes([index]);
  }
}

/**
 * Boot does not give up while MongoDB is unreachable (it may start after us); it retries until the indexes
 * exist or `signal` aborts. Whatever writes (Slack handlers, workers) must start only after this resolves.
 */
export async function ensureIndexesWhenReachable(
  db: Db,
  logger: Logger,
  signal: AbortSignal,
  retryMs = 2_000,
): Promise<boolean> {
  // One line when it starts waiting, then one every 15 tries: not one every retry.
  for (let tries = 0; !signal.aborted; tries++) {
    try {
      await ensureIndexes(db);
      logger.info('mongo: indexes ready');
      return true;
    } catch (err) {
      if (tries % 15 === 0)
        logger.warn({ err: (err as Error).message, retryMs, tries }, 'mongo: cannot create indexes yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  return false;
}
