import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent } from '../mongo/duplicate-key.js';
import type { Announcement, ChannelRef } from './announcement.js';

/** `channelKey` (`team:channel`) lets the sweep list channels with work in one `distinct`. */
type AnnouncementDocument = Omit<Announcement, 'id'> & {
  _id: string;
  channelKey?: string;
  failures?: number;
  lastFailure?: string;
};

export type AnnouncementsStore = {
  /** False when this release was already announced (or queued) in this channel. */
  insertOnce(announcement: Announcement): Promise<boolean>;
  /** Which of these announcements exist (in any state). */
  existingIds(ids: string[]): Promise<Set<string>>;
  /** Lines still to post in a channel, lowest version first. */
  queued(channel: ChannelRef): Promise<Announcement[]>;
  /** The oldest line posted whose details still have to go into its thread. */
  awaitingDetails(channel: ChannelRef): Promise<Announcement | null>;
  hasVersion(channel: ChannelRef, app: string, version: number): Promise<boolean>;
  markPosted(id: string, ts: string, at: Date, detailsToFollow: boolean): Promise<void>;
  markDone(id: string): Promise<void>;
  markGapChecked(id: string): Promise<void>;
  drop(id: string, reason: string): Promise<void>;
  /** Counts one more refusal of this message; returns how many there have been. */
  countFailure(id: string, reason: string): Promise<number>;
  /** Gives up on everything not yet fully posted in a channel (that is gone), or of one app there (muted). */
  dropChannel(channel: ChannelRef, reason: string, app?: string): Promise<number>;
  /** Channels with something left to post (a safety net when a drain job was lost with Redis). */
  channelsWithWork(): Promise<ChannelRef[]>;
};

export const ANNOUNCEMENTS_INDEXES: IndexDescription[] = [
  { key: { teamId: 1, app: 1, releaseId: 1, channelId: 1 }, name: 'team_app_release_channel', unique: true },
  { key: { teamId: 1, channelId: 1, state: 1, version: 1 }, name: 'channel_state_version' },
  { key: { state: 1, channelKey: 1 }, name: 'state_channel' },
];

const PENDING: Announcement['state'][] = ['queued', 'posted'];

export function createAnnouncementsStore(db: Db): AnnouncementsStore {
  const announcements: Collection<AnnouncementDocument> = db.collection('announcements');
  const fromDoc = ({
    _id,
    channelKey: _k,
    failures: _f,
    lastFailure: _l,
    ...rest
  }: AnnouncementDocument): Announcement => ({
    id: _id,
    ...rest,
  });
  // `from`: a mute that dropped it meanwhile wins over a send that was already on its way.
  const set = async (id: string, fields: Partial<AnnouncementDocument>, from?: Announcement['state']) =>
    void (await announcements.updateOne({ _id: id, ...(from ? { state: from } : {}) }, { $set: fields }));
  return {
    insertOnce: ({ id, ...rest }) =>
      insertIfAbsent(announcements, { _id: id, channelKey: `${rest.teamId}:${rest.channelId}`, ...rest }),
    existingIds: async (ids) =>
      new Set(
        (await announcements.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray()).map((a) => a._id),
      ),
    queued: async ({ teamId, channelId }) =>
      (await announcements.find({ teamId, channelId, state: 'queued' }).sort({ version: 1 }).limit(500).toArray()).map(
        fromDoc,
      ),
    awaitingDetails: async ({ teamId, channelId }) => {
      const doc = await announcements.find({ teamId, channelId, state: 'posted' }).sort({ postedAt: 1 }).limit(1);
      const [first] = await doc.toArray();
      return first ? fromDoc(first) : null;
    },
    hasVersion: async ({ teamId, channelId }, app, version) =>
      (await announcements.countDocuments({ teamId, channelId, app, version }, { limit: 1 })) > 0,
    markPosted: (id, ts, at, detailsToFollow) =>
      set(id, { ts, postedAt: at, state: detailsToFollow ? 'posted' : 'done' }, 'queued'),
    markDone: (id) => set(id, { state: 'done' }, 'posted'),
    markGapChecked: (id) => set(id, { gapChecked: true }),
    drop: (id, droppedReason) => set(id, { state: 'dropped', droppedReason }),
    countFailure: async (id, lastFailure) =>
      (
        await announcements.findOneAndUpdate(
          { _id: id },
          { $inc: { failures: 1 }, $set: { lastFailure } },
          { returnDocument: 'after' },
        )
      )?.failures ?? 1,
    dropChannel: async ({ teamId, channelId }, reason, app) =>
      (
        await announcements.updateMany(
          { teamId, channelId, state: { $in: PENDING }, ...(app ? { app } : {}) },
          { $set: { state: 'dropped', droppedReason: reason } },
        )
      ).modifiedCount,
    channelsWithWork: async () => {
      const keys = (await announcements.distinct('channelKey', { state: { $in: PENDING } })) as string[];
      return keys.map((key) => {
        const [teamId = '', channelId = ''] = key.split(':');
        return { teamId, channelId };
      });
    },
  };
}
