import type { Platform, Release } from '../platform/platform.js';
import { type AnnouncedRelease, announcementId, type ChannelRef } from './announcement.js';
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
  // Each release is owed one announcement per channel that listened when it came; ask for just those missing.
  const owed = (r: Release) =>
    listeners.filter((l) => r.version > l.sinceVersion).map((l) => announcementId(l.teamId, app, r.id, l.channelId));
  const existing = await deps.announcements.existingIds(fresh.flatMap(owed));
  const unseen = fresh.filter((r) => owed(r).some((id) => !existing.has(id)));
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
