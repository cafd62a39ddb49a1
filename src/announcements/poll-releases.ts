import type { Logger } from '../create-logger.js';
import type { AnnouncementDrains, ChannelRef } from './announcement.js';
import type { ReleaseFeedsStore } from './release-feeds-store.js';
import { type SyncDeps, syncAppReleases } from './sync-app-releases.js';

/** An app whose webhook spoke within this long has one; the poller leaves it to the webhook. */
export const WEBHOOK_TRUSTED_FOR_MS = 24 * 3600_000;

export type PollDeps = SyncDeps & {
  feeds: ReleaseFeedsStore;
  drains: AnnouncementDrains;
  logger: Logger;
  /** Default WEBHOOK_TRUSTED_FOR_MS; 0 polls every app, webhook or not. */
  webhookTrustedForMs?: number;
};

/**
 * One round of the poller: every app some channel listens to and no webhook reports on gets its newest page of
 * releases read. Each round also wakes every channel with lines left to post, in case a drain job was lost.
 */
export async function pollReleases(deps: PollDeps) {
  const apps = await deps.subscriptions.heardApps();
  const trustMs = deps.webhookTrustedForMs ?? WEBHOOK_TRUSTED_FOR_MS;
  const fed = trustMs > 0 ? await deps.feeds.fedByWebhookSince(new Date(deps.now().getTime() - trustMs)) : new Set();
  const polled = apps.filter((app) => !fed.has(app));
  const touched: ChannelRef[] = [];
  for (const app of polled) {
    try {
      touched.push(...(await syncAppReleases(deps, app)));
    } catch (err) {
      deps.logger.warn({ err, app }, 'poller: could not read releases');
    }
  }
  const channels = unique([...touched, ...(await deps.announcements.channelsWithWork())]);
  await deps.drains.enqueue(channels);
  return { polled: polled.length, viaWebhook: apps.length - polled.length, channels: channels.length };
}

function unique(channels: ChannelRef[]): ChannelRef[] {
  return [...new Map(channels.map((c) => [`${c.teamId}:${c.channelId}`, c])).values()];
}
