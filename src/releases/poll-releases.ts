import type { Logger } from '../create-logger.js';
import type { AnnouncementDrains, ChannelRef } from './announcement.js';
import type { ReleaseFeedsStore } from './release-feeds-store.js';
import { type SyncDeps, syncAppReleases } from './sync-app-releases.js';

/** An app whose webhook spoke within this long has one; the poller leaves it to the webhook. */
export const WEBHOOK_TRUSTED_FOR_MS = 24 * 3600_000;
/** ...but still looks at it this often, for a delivery that never came (a `notify` webhook tries once; a `sync`
 * one gives up after a while). */
export const WEBHOOK_SAFETY_NET_MS = 10 * 60_000;

export type PollDeps = SyncDeps & {
  feeds: ReleaseFeedsStore;
  drains: AnnouncementDrains;
  logger: Logger;
  /** Default WEBHOOK_TRUSTED_FOR_MS; 0 polls every app, webhook or not. */
  webhookTrustedForMs?: number;
};

/**
 * One round of the poller: every app some channel listens to gets its newest page of releases read, unless a
 * webhook reports on it (then only once in a while). Whatever is new wakes its channels.
 */
export async function pollReleases(deps: PollDeps) {
  const apps = await deps.subscriptions.heardApps();
  const now = deps.now().getTime();
  const trustMs = deps.webhookTrustedForMs ?? WEBHOOK_TRUSTED_FOR_MS;
  const fed = trustMs > 0 ? await deps.feeds.fedByWebhookSince(new Date(now - trustMs)) : new Map<string, Date>();
  const due = apps.filter(
    (app) => (fed.get(app)?.getTime() ?? Number.NEGATIVE_INFINITY) <= now - WEBHOOK_SAFETY_NET_MS,
  );
  const touched: ChannelRef[] = [];
  for (const app of due) {
    try {
      touched.push(...(await syncAppReleases(deps, app)));
      if (fed.has(app)) await deps.feeds.checked(app, deps.now());
    } catch (err) {
      deps.logger.warn({ err, app }, 'poller: could not read releases');
    }
  }
  await deps.drains.enqueue(touched);
  return { apps: apps.length, polled: due.length, leftToWebhooks: apps.length - due.length };
}
