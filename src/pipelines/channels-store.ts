import type { Collection, Db, IndexDescription } from 'mongodb';
import { retryOnDuplicateKey } from '../mongo/duplicate-key.js';

type ChannelDocument = { teamId: string; channelId: string; app: string; setBy: string; setAt: Date };

export type ChannelsStore = {
  defaultApp(teamId: string, channelId: string): Promise<string | null>;
  /** Sets the channel's default app; returns the previous one. */
  setDefaultApp(teamId: string, channelId: string, app: string, by: string, at: Date): Promise<string | null>;
};

export const CHANNELS_INDEXES: IndexDescription[] = [
  { key: { teamId: 1, channelId: 1 }, name: 'team_channel', unique: true },
];

export function createChannelsStore(db: Db): ChannelsStore {
  const channels: Collection<ChannelDocument> = db.collection('channels');
  const set = (teamId: string, channelId: string, app: string, setBy: string, setAt: Date) =>
    channels.findOneAndUpdate({ teamId, channelId }, { $set: { app, setBy, setAt } }, { upsert: true });
  return {
    defaultApp: async (teamId, channelId) => (await channels.findOne({ teamId, channelId }))?.app ?? null,
    setDefaultApp: async (...args) => (await retryOnDuplicateKey(() => set(...args)))?.app ?? null,
  };
}
