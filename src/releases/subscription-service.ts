import type { Actor } from '../actor.js';
import { auditOf } from '../audit/audit-event.js';
import type { AuditStore } from '../audit/audit-store.js';
import { NotFoundError, RefusedError } from '../errors.js';
import { parseAppName } from '../pipelines/app-name.js';
import type { Platform } from '../platform/platform.js';
import { PlatformNotFoundError } from '../platform/platform-errors.js';
import type { AnnouncementsStore } from './announcements-store.js';
import type { SubscriptionsStore } from './subscriptions-store.js';

/** Whether the bot can post in a channel, as the chat side sees it (`unknown`: it may not look). */
export type ChannelAccess = 'ok' | 'invite_needed' | 'archived' | 'unknown';

export type SubscriptionServiceDeps = {
  subscriptions: SubscriptionsStore;
  announcements: AnnouncementsStore;
  audit: AuditStore;
  platform: Platform;
  now: () => Date;
};

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;

/** `/pipeline notify` and `mute`: which channels hear which app's releases. */
export function createSubscriptionService(deps: SubscriptionServiceDeps) {
  async function notify(actor: Actor, rawApp: string, channelId: string, accessOf: () => Promise<ChannelAccess>) {
    const app = parseAppName(rawApp);
    const access = await accessOf();
    if (access === 'invite_needed') {
      throw new RefusedError(
        `I cannot post in <#${channelId}>: it is private and I am not in it. Invite me there (/invite @pipeline), then run this again.`,
      );
    }
    if (access === 'archived') throw new RefusedError(`<#${channelId}> is archived: pick a channel people read.`);
    const unchanged = { app, channelId, changed: false as const };
    if ((await deps.subscriptions.get(actor.teamId, app, channelId))?.enabled) return unchanged;
    const sinceVersion = await lastSucceededVersion(app);
    const at = deps.now();
    const sub = { teamId: actor.teamId, app, channelId, sinceVersion, by: actor.userId, at };
    // Two notifies at once: one turns it on and says so, the other finds it on.
    if (!(await deps.subscriptions.enable(sub))) return unchanged;
    await audit(actor, 'subscription.added', app, { channelId, sinceVersion }, at);
    return { app, channelId, changed: true as const, sinceVersion, accessUnchecked: access === 'unknown' };
  }

  async function mute(actor: Actor, rawApp: string, channelId: string) {
    const app = parseAppName(rawApp);
    const at = deps.now();
    const before = await deps.subscriptions.disable(actor.teamId, app, channelId, `muted by ${actor.userId}`, at);
    // Lines or thread details still waiting would go out after the user asked for quiet.
    await deps.announcements.dropChannel({ teamId: actor.teamId, channelId }, 'muted', app);
    if (!before?.enabled) return { app, channelId, changed: false };
    await audit(actor, 'subscription.removed', app, { channelId }, at);
    return { app, channelId, changed: true };
  }

  /**
   * Only what happens from now on is news: the app's newest finished release marks the start. One still in
   * progress is announced once it succeeds.
   */
  async function lastSucceededVersion(app: string): Promise<number> {
    try {
      const releases = await deps.platform.listReleases(app, { limit: 10 });
      return releases.find((r) => r.status === 'succeeded')?.version ?? releases.at(-1)?.version ?? 0;
    } catch (err) {
      if (err instanceof PlatformNotFoundError) {
        throw new NotFoundError(`There is no app named ${app} on Heroku (or our token cannot see it).`);
      }
      throw err;
    }
  }

  function audit(
    actor: Actor,
    action: 'subscription.added' | 'subscription.removed',
    app: string,
    details: Record<string, unknown>,
    at: Date,
  ) {
    return deps.audit.append(auditOf(actor, at, action, app, details));
  }

  /** Channels that hear each app of the team. */
  async function listening(teamId: string): Promise<Map<string, string[]>> {
    const byApp = new Map<string, string[]>();
    for (const sub of await deps.subscriptions.ofTeam(teamId)) {
      byApp.set(sub.app, [...(byApp.get(sub.app) ?? []), sub.channelId]);
    }
    return byApp;
  }

  return { notify, mute, listening };
}
