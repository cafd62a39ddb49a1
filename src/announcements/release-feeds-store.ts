import type { Collection, Db } from 'mongodb';
import { retryOnDuplicateKey } from '../store/duplicate-key.js';

/** Per app: when a signed platform webhook last told us of a release, so the poller can leave that app alone. */
export type ReleaseFeedsStore = {
  webhookSeen(app: string, at: Date): Promise<void>;
  /** Apps whose webhook spoke since `since`. */
  fedByWebhookSince(since: Date): Promise<Set<string>>;
};

export function createReleaseFeedsStore(db: Db): ReleaseFeedsStore {
  const feeds: Collection<{ _id: string; webhookAt: Date }> = db.collection('release_feeds');
  return {
    webhookSeen: async (app, at) =>
      void (await retryOnDuplicateKey(() =>
        feeds.updateOne({ _id: app }, { $set: { webhookAt: at } }, { upsert: true }),
      )),
    fedByWebhookSince: async (since) =>
      new Set((await feeds.find({ webhookAt: { $gte: since } }).toArray()).map((feed) => feed._id)),
  };
}
