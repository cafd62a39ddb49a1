import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent, retryOnDuplicateKey } from '../mongo/duplicate-key.js';
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
  const subscriptions: Collection<Subscription & { turn?: number }> = db.collection('subscriptions');
  const turns: Collection<{ _id: string; teamId: string; at: Date }> = db.collection('subscription_turns');
  const strip = ({ _id, turn: _, ...rest }: Subscription & { _id?: unknown; turn?: number }): Subscription => rest;
  const list = async (filter: Partial<Subscription>) =>
    (await subscriptions.find(filter).sort({ app: 1, at: 1 }).toArray()).map(strip);
  return {
    get: async (teamId, app, channelId) => {
      const doc = await subscriptions.findOne({ teamId, app, channelId });
      return doc ? strip(doc) : null;
    },
    enable: async ({ teamId, app, channelId, ...rest }) => {
      const current = await subscriptions.findOne({ teamId, app, channelId });
      if (current?.enabled) return false;
      // Each turning-on is numbered and claimed by a unique insert, which is atomic on MongoDB and FerretDB alike
      // (FerretDB's conditional updates are not): of two notifies at once, one turns it on, one finds it on.
      const turn = (current?.turn ?? 0) + 1;
      if (!(await insertIfAbsent(turns, { _id: `${teamId}:${app}:${channelId}:${turn}`, teamId, at: rest.at }))) {
        return false;
      }
      await retryOnDuplicateKey(() =>
        subscriptions.updateOne(
          { teamId, app, channelId },
          { $set: { ...rest, enabled: true, turn }, $unset: { disabledReason: '', disabledAt: '' } },
          { upsert: true },
        ),
      );
      return true;
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
