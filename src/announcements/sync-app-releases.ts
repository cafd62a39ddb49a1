import type { Platform, Release } from '../platform/platform.js';
import type { AnnouncedRelease, ChannelRef } from './announcement.js';
import { type IngestDeps, ingestReleases } from './ingest-releases.js';

/** One page, newest first: enough for what a poll interval (or a gap) can hold, one call per app. */
export const NEWEST_PAGE = 25;

export type SyncDeps = IngestDeps & { platform: Platform };

/** Asks the platform for an app's newest releases and queues the ones its listeners have not heard of. */
export async function syncAppReleases(deps: SyncDeps, app: string): Promise<ChannelRef[]> {
  const listeners = await deps.subscriptions.listeners(app);
  if (listeners.length === 0) return [];
  const since = Math.min(...listeners.map((s) => s.sinceVersion));
  const releases = await deps.platform.listReleases(app, { limit: NEWEST_PAGE });
  const fresh = releases.filter((r) => r.status === 'succeeded' && r.version > since);
  if (fresh.length === 0) return [];
  // A release already queued anywhere was queued for every channel that listened then: nothing to add.
  const known = await deps.announcements.knownReleaseIds(
    app,
    fresh.map((r) => r.id),
  );
  const unseen = fresh.filter((r) => !known.has(r.id));
  if (unseen.length === 0) return [];
  // Slugs are looked up for these only: one platform call each.
  const announced = await Promise.all(unseen.map((r) => withCommit(deps.platform, app, r)));
  return ingestReleases(deps, announced, 'poll');
}

async function withCommit(platform: Platform, app: string, r: Release): Promise<AnnouncedRelease> {
  const release = {
    id: r.id,
    app,
    version: r.version,
    description: r.description,
    userEmail: r.userEmail,
    createdAt: r.createdAt,
    commit: null,
    commitDescription: null,
  };
  if (!r.slugId) return release;
  try {
    const slug = await platform.getSlug(app, r.slugId);
    return { ...release, commit: slug.commit, commitDescription: slug.commitDescription };
  } catch {
    // The line can go out without its commit; the release itself is what matters.
    return release;
  }
}
