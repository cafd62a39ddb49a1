import type { Collection, Db } from 'mongodb';
import { retryOnDuplicateKey } from '../mongo/duplicate-key.js';

/**
 * Per app: when a signed platform webhook last told us of a release (so the poller can leave the app to it), and
 * when the poller last looked anyway, as a safety net for deliveries that never came.
 */
export type ReleaseFeedsStore = {
  webhookSeen(app: string, at: Date): Promise<void>;
  /** Apps whose webhook spoke since `since`, with when the poller last looked at each. */
  fedByWebhookSince(since: Date): Promise<Map<string, Date>>;
  checked(app: string, at: Date): Promise<void>;
};

type FeedDocument = { _id: string; webhookAt: Date; checkedAt: Date };

export function createReleaseFeedsStore(db: Db): ReleaseFeedsStore {
  const feeds: Collection<FeedDocument> = db.collection('release_feeds');
  return {
    // A webhook that just spoke counts as a look: the safety net starts from here.
    webhookSeen: async (app, at) =>
      void (await retryOnDuplicateKey(() =>
        feeds.updateOne({ _id: app }, { $set: { webhookAt: at }, $setOnInsert: { checkedAt: at } }, { upsert: true }),
      )),
    fedByWebhookSince: async (since) =>
      new Map((await feeds.find({ webhookAt: { $gte: since } }).toArray()).map((f) => [f._id, f.checkedAt])),
    checked: async (app, at) => void (await feeds.updateOne({ _id: app }, { $set: { checkedAt: at } })),
  };
}
