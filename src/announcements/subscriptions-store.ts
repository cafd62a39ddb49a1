import type { Collection, Db, IndexDescription } from 'mongodb';
import { isDuplicateKey } from '../store/duplicate-key.js';
import type { Subscription } from './announcement.js';

export type SubscriptionsStore = {
  get(teamId: string, app: string, channelId: string): Promise<Subscription | null>;
  /** Creates or re-enables the subscription; false when it was on already (nothing is changed then). */
  enable(subscription: Omit<Subscription, 'enabled'>): Promise<boolean>;
  /** Turns it off; returns it as it was before (null when there was none). */
  disable(teamId: string, app: string, channelId: string, reason: string, at: Date): Promise<Subscription | null>;
  /** Every enabled subscription to `app`, in every workspace (a platform webhook names no workspace). */
  listeners(app: string): Promise<Subscription[]>;
  ofChannel(teamId: string, channelId: string): Promise<Subscription[]>;
  ofTeam(teamId: string): Promise<Subscription[]>;
  /** Apps that at least one channel listens to. */
  heardApps(): Promise<string[]>;
};

export const SUBSCRIPTIONS_INDEXES: IndexDescription[] = [
  { key: { teamId: 1, app: 1, channelId: 1 }, name: 'team_app_channel', unique: true },
  { key: { app: 1, enabled: 1 }, name: 'app_enabled' },
];

export function createSubscriptionsStore(db: Db): SubscriptionsStore {
  const subscriptions: Collection<Subscription> = db.collection('subscriptions');
  const strip = ({ _id, ...rest }: Subscription & { _id?: unknown }): Subscription => rest;
  const list = async (filter: Partial<Subscription>) =>
    (await subscriptions.find(filter).sort({ app: 1, at: 1 }).toArray()).map(strip);
  return {
    get: async (teamId, app, channelId) => {
      const doc = await subscriptions.findOne({ teamId, app, channelId });
      return doc ? strip(doc) : null;
    },
    enable: async ({ teamId, app, channelId, ...rest }) => {
      try {
        // Matches only a subscription that is off; when one is on, the upsert's insert meets the unique index.
        const written = await subscriptions.updateOne(
          { teamId, app, channelId, enabled: { $ne: true } },
          { $set: { ...rest, enabled: true }, $unset: { disabledReason: '', disabledAt: '' } },
          { upsert: true },
        );
        return written.modifiedCount + written.upsertedCount > 0;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    disable: async (teamId, app, channelId, reason, at) => {
      const before = await subscriptions.findOneAndUpdate(
        { teamId, app, channelId },
        { $set: { enabled: false, disabledReason: reason, disabledAt: at } },
      );
      return before ? strip(before) : null;
    },
    listeners: (app) => list({ app, enabled: true }),
    ofChannel: (teamId, channelId) => list({ teamId, channelId, enabled: true }),
    ofTeam: (teamId) => list({ teamId, enabled: true }),
    heardApps: async () => ((await subscriptions.distinct('app', { enabled: true })) as string[]).sort(),
  };
}
