import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '../mongo/duplicate-key.js';
import type { Release } from '../platform/platform.js';

/** A release of an app as the bot learned of it: from its own write, a webhook, the watcher or a diff. */
export type SeenRelease = Pick<Release, 'id' | 'version' | 'slugId' | 'description'>;

/**
 * Per app, the newest release the bot has learned of (a webhook, its own write, the watcher, a diff). A request
 * opened while a webhook is being handled checks it after it is stored, and the webhook stores it before it looks
 * for requests to supersede: whichever comes second sees the other, so no request is left pinned to a release
 * the bot already knew was replaced.
 */
export type LearnedReleasesStore = {
  learned(app: string, release: SeenRelease): Promise<void>;
  newest(app: string): Promise<SeenRelease | null>;
};

type LearnedDocument = SeenRelease & { _id: string };

export function createLearnedReleasesStore(db: Db): LearnedReleasesStore {
  const learned: Collection<LearnedDocument> = db.collection('learned_releases');
  return {
    learned: async (app, { id, version, slugId, description }) => {
      try {
        await learned.updateOne(
          { _id: app, version: { $lt: version } },
          { $set: { id, version, slugId, description } },
          { upsert: true },
        );
      } catch (err) {
        // The filter missed because a release as new or newer is there: the upsert's insert collides with it.
        if (!isDuplicateKey(err)) throw err;
      }
    },
    newest: async (app) => {
      const doc = await learned.findOne({ _id: app });
      return doc && { id: doc.id, version: doc.version, slugId: doc.slugId, description: doc.description };
    },
  };
}
