import type { Collection, Db, IndexDescription } from 'mongodb';
import { isDuplicateKey, retryOnDuplicateKey } from '../mongo/duplicate-key.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';

/** `until`: when a lock given a duration lapses; `channelId`: where it was taken, so its lapse is told there. */
export type AppLock = { by: string; reason: string; at: Date; until?: Date | null; channelId?: string };

/** An app's settings; an app nobody configured has the defaults. */
export type AppSettings = { teamId: string; app: string; policy: Policy; lock: AppLock | null; repo: string | null };

type AppDocument = {
  teamId: string;
  app: string;
  policy?: Partial<Policy>;
  lock?: AppLock | null;
  repo?: string | null;
  updatedAt: Date;
};

export type AppsStore = {
  get(teamId: string, app: string): Promise<AppSettings>;
  /** Sets the given policy fields; returns the settings before the change. */
  updatePolicy(teamId: string, app: string, change: Partial<Policy>, at: Date): Promise<AppSettings>;
  /** Locks an unlocked app; false when it was locked already (the current lock is then in `get`). */
  lock(teamId: string, app: string, lock: AppLock): Promise<boolean>;
  /** Unlocks; returns the lock that was removed, or null when the app was not locked. */
  unlock(teamId: string, app: string, at: Date): Promise<AppLock | null>;
  /** Sets the repository; returns the previous one. */
  setRepo(teamId: string, app: string, repo: string, at: Date): Promise<string | null>;
  /** Lifts every lock whose time is up (each by one process only) and returns what each one was. */
  lapse(now: Date): Promise<(AppSettings & { lock: AppLock })[]>;
  /** The team's locked apps (few: a lock is an exception), for App Home. */
  locked(teamId: string): Promise<(AppSettings & { lock: AppLock })[]>;
};

export const APPS_INDEXES: IndexDescription[] = [{ key: { teamId: 1, app: 1 }, name: 'team_app', unique: true }];

export function createAppsStore(db: Db): AppsStore {
  const apps: Collection<AppDocument> = db.collection('apps');
  const settings = (teamId: string, app: string, doc: AppDocument | null): AppSettings => ({
    teamId,
    app,
    policy: { ...DEFAULT_POLICY, ...doc?.policy },
    lock: doc?.lock ?? null,
    repo: doc?.repo ?? null,
  });

  return {
    get: async (teamId, app) => settings(teamId, app, await apps.findOne({ teamId, app })),
    updatePolicy: async (teamId, app, change, at) => {
      const fields = Object.fromEntries(Object.entries(change).map(([key, value]) => [`policy.${key}`, value]));
      const before = await retryOnDuplicateKey(() =>
        apps.findOneAndUpdate({ teamId, app }, { $set: { ...fields, updatedAt: at } }, { upsert: true }),
      );
      return settings(teamId, app, before);
    },
    lock: async (teamId, app, lock) => {
      try {
        // Matches only an unlocked app (or none yet); a locked one makes the upsert collide with the unique index.
        await apps.updateOne({ teamId, app, lock: null }, { $set: { lock, updatedAt: lock.at } }, { upsert: true });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    unlock: async (teamId, app, at) => {
      const before = await apps.findOneAndUpdate(
        { teamId, app, lock: { $ne: null } },
        { $set: { lock: null, updatedAt: at } },
      );
      return before?.lock ?? null;
    },
    lapse: async (now) => {
      const due = await apps
        .find({ 'lock.until': { $lte: now } })
        .limit(100)
        .toArray();
      const lapsed: (AppSettings & { lock: AppLock })[] = [];
      for (const doc of due) {
        const lock = doc.lock as AppLock;
        // Only the lock that was due: one taken again meanwhile is not lifted, and only one process wins.
        const before = await apps.findOneAndUpdate(
          { teamId: doc.teamId, app: doc.app, 'lock.at': lock.at, 'lock.by': lock.by },
          { $set: { lock: null, updatedAt: now } },
        );
        if (before?.lock) lapsed.push({ ...settings(doc.teamId, doc.app, before), lock: before.lock });
      }
      return lapsed;
    },
    locked: async (teamId) =>
      (
        await apps
          .find({ teamId, lock: { $ne: null } })
          .sort({ app: 1 })
          .limit(100)
          .toArray()
      ).map((doc) => ({ ...settings(teamId, doc.app, doc), lock: doc.lock as AppLock })),
    setRepo: async (teamId, app, repo, at) => {
      const before = await retryOnDuplicateKey(() =>
        apps.findOneAndUpdate({ teamId, app }, { $set: { repo, updatedAt: at } }, { upsert: true }),
      );
      return before?.repo ?? null;
    },
  };
}
