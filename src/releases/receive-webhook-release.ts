import type { Logger } from '../create-logger.js';
import type { AnnouncedRelease, AnnouncementDrains } from './announcement.js';
import { type IngestDeps, ingestReleases } from './ingest-releases.js';
import type { ReleaseFeedsStore } from './release-feeds-store.js';

export type WebhookDeps = IngestDeps & { feeds: ReleaseFeedsStore; drains: AnnouncementDrains; logger: Logger };

/**
 * A signed webhook's release: queued for its listeners at once. Once stored it is safe: if the queue is
 * unreachable, the sweep (every 30 s) wakes the channel.
 */
export async function receiveWebhookRelease(deps: WebhookDeps, release: AnnouncedRelease): Promise<number> {
  const channels = await ingestReleases(deps, [release], 'webhook');
  // Only once stored: an app whose deliveries fail must stay on the poller's list.
  await deps.feeds.webhookSeen(release.app, deps.now());
  try {
    await deps.drains.enqueue(channels);
  } catch (err) {
    deps.logger.warn(
      { err, app: release.app },
      'webhook: release stored; its channels will be woken by the next sweep',
    );
  }
  return channels.length;
}
