import type { AnnouncedRelease, ChannelRef, ReleaseSource } from './announcement.js';
import { announcementId } from './announcement.js';
import type { AnnouncementsStore } from './announcements-store.js';
import type { SubscriptionsStore } from './subscriptions-store.js';

export type IngestDeps = { subscriptions: SubscriptionsStore; announcements: AnnouncementsStore; now: () => Date };

/**
 * The one path every source of releases feeds (webhooks, the poller, gap checks): queue each release once per
 * listening channel. The unique index makes a second sighting, from any source, a no-op. Returns the channels
 * that got something new to post.
 */
export async function ingestReleases(
  deps: IngestDeps,
  releases: readonly AnnouncedRelease[],
  source: ReleaseSource,
): Promise<ChannelRef[]> {
  const touched = new Map<string, ChannelRef>();
  for (const app of new Set(releases.map((r) => r.app))) {
    const listeners = await deps.subscriptions.listeners(app);
    for (const sub of listeners) {
      for (const release of releases) {
        if (release.app !== app || release.version <= sub.sinceVersion) continue;
        const inserted = await deps.announcements.insertOnce({
          id: announcementId(sub.teamId, app, release.id, sub.channelId),
          teamId: sub.teamId,
          app,
          channelId: sub.channelId,
          releaseId: release.id,
          version: release.version,
          release,
          source,
          state: 'queued',
          queuedAt: deps.now(),
        });
        if (inserted) touched.set(`${sub.teamId}:${sub.channelId}`, { teamId: sub.teamId, channelId: sub.channelId });
      }
    }
  }
  return [...touched.values()];
}
