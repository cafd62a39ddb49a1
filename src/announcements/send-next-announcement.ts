import type { AppsStore } from '../apps/apps-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import type { Promotion } from '../promotions/promotion.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import type { Leases } from '../store/mongo-lease.js';
import type { Announcement, AnnouncementDrains, ChannelRef } from './announcement.js';
import type { AnnouncementsStore } from './announcements-store.js';
import { mayHaveMissedPredecessor, nextLine } from './next-line.js';
import { promotionOfRelease } from './promotion-of-release.js';
import { type SyncDeps, syncAppReleases } from './sync-app-releases.js';

export type SendResult =
  | { kind: 'sent'; ts: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The channel was deleted or archived, or the bot was removed from it. */
  | { kind: 'channel_gone'; reason: string }
  /** Slack refused this message as it is; sending it again cannot help. */
  | { kind: 'rejected'; reason: string };

/** What a message says besides the release: the request that made it, and where its commits live. */
export type AnnouncementContext = { promotion: Promotion | null; repo: string | null };

/** The chat side: one line in the channel, the details in that line's thread. */
export type AnnouncementSender = {
  postLine(a: Announcement, context: AnnouncementContext): Promise<SendResult>;
  postDetails(a: Announcement, threadTs: string, context: AnnouncementContext): Promise<SendResult>;
};

/**
 * How soon a channel may hear from us again: shared by every worker, so the channel's rate holds across them.
 * A 429 also holds back the channel's whole workspace, since Slack's limits are per workspace too.
 */
export type Pace = {
  remainingMs(channel: ChannelRef): Promise<number>;
  hold(channel: ChannelRef, ms: number): Promise<void>;
  holdWorkspace(teamId: string, ms: number): Promise<void>;
};

export type DrainDeps = SyncDeps & {
  announcements: AnnouncementsStore;
  drains: AnnouncementDrains;
  promotions: PromotionsStore;
  apps: AppsStore;
  audit: AuditStore;
  leases: Leases;
  sender: AnnouncementSender;
  pace: Pace;
  /** Slack allows about one message a second in a channel. */
  intervalMs: number;
  logger: Logger;
};

export type DrainStep =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'wait'; ms: number }
  | { kind: 'sent' }
  | { kind: 'channel_gone' };

type Next = { step: 'line' | 'details'; announcement: Announcement } | { step: 'again' };

/** A pace that ends this soon is slept through rather than handed back to the queue. */
export const SHORT_WAIT_MS = 300;

/**
 * Posts the next message a channel is owed (lines before details, each app in version order), at most one per
 * call. Only the holder of the channel's lease posts, so two workers never race one channel.
 */
export async function sendNextAnnouncement(deps: DrainDeps, channel: ChannelRef): Promise<DrainStep> {
  const lease = await deps.leases.acquire(channel.teamId, `announce:${channel.channelId}`);
  if (!lease) return { kind: 'busy' };
  try {
    const next = await pickNext(deps, channel);
    if (!next) return { kind: 'idle' };
    if (next.step === 'again') return { kind: 'wait', ms: 0 };
    // Looking up what to post overlaps the end of the pace; only a short rest is waited out here.
    const wait = await deps.pace.remainingMs(channel);
    if (wait > SHORT_WAIT_MS) return { kind: 'wait', ms: wait };
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!lease.held()) return { kind: 'busy' };
    const a = next.announcement;
    const context = await contextOf(deps, a);
    const result =
      next.step === 'line'
        ? await deps.sender.postLine(a, context)
        : await deps.sender.postDetails(a, a.ts ?? '', context);
    return await record(deps, channel, { ...next, announcement: a }, context, result);
  } finally {
    await lease.release();
  }
}

async function pickNext(deps: DrainDeps, channel: ChannelRef): Promise<Next | null> {
  // Each round settles one head (posts it, drops it, or looks for what came before it); past a few rounds the
  // job comes straight back rather than hold the lease.
  for (let round = 0; ; round++) {
    const head = nextLine(await deps.announcements.queued(channel));
    if (!head) break;
    if (round === 5) return { step: 'again' };
    const sub = await deps.subscriptions.get(channel.teamId, head.app, channel.channelId);
    // Muted since it was queued, or muted and asked for again: only releases after the current ask are news.
    if (!sub?.enabled || head.version <= sub.sinceVersion) {
      await deps.announcements.drop(head.id, 'muted');
      continue;
    }
    const known = await deps.announcements.hasVersion(channel, head.app, head.version - 1);
    if (!mayHaveMissedPredecessor(head, sub.sinceVersion, known)) return { step: 'line', announcement: head };
    await catchUp(deps, head.app);
    await deps.announcements.markGapChecked(head.id);
  }
  const posted = await deps.announcements.awaitingDetails(channel);
  return posted ? { step: 'details', announcement: posted } : null;
}

async function catchUp(deps: DrainDeps, app: string): Promise<void> {
  try {
    // What turns up may be news for other channels too.
    await deps.drains.enqueue(await syncAppReleases(deps, app));
  } catch (err) {
    // The platform is unreachable: post what we have rather than hold the channel back.
    deps.logger.warn({ err, app }, 'announcements: could not look for missed releases');
  }
}

async function contextOf(deps: DrainDeps, a: Announcement): Promise<AnnouncementContext> {
  const [promotion, settings] = await Promise.all([
    promotionOfRelease(deps.promotions, a),
    deps.apps.get(a.teamId, a.app),
  ]);
  return { promotion, repo: settings.repo };
}

async function record(
  deps: DrainDeps,
  channel: ChannelRef,
  next: { step: 'line' | 'details'; announcement: Announcement },
  context: AnnouncementContext,
  result: SendResult,
): Promise<DrainStep> {
  const { id } = next.announcement;
  if (result.kind === 'rate_limited') {
    await deps.pace.hold(channel, result.retryAfterMs);
    await deps.pace.holdWorkspace(channel.teamId, result.retryAfterMs);
    return { kind: 'wait', ms: result.retryAfterMs };
  }
  if (result.kind === 'channel_gone') {
    await stopAnnouncingIn(deps, channel, result.reason);
    return { kind: 'channel_gone' };
  }
  if (result.kind === 'rejected') {
    // One message Slack will never take must not hold up the channel's others.
    await deps.announcements.drop(id, `slack refused it: ${result.reason}`);
    deps.logger.error({ ...channel, announcement: id, reason: result.reason }, 'announcements: message refused');
    return { kind: 'sent' };
  }
  // A promotion's own card tells its story: its line links there instead of repeating it in a thread.
  // Without a ts (Slack always gives one) there is no thread for details.
  const details = !context.promotion && result.ts !== '';
  if (next.step === 'line') await deps.announcements.markPosted(id, result.ts, deps.now(), details);
  else await deps.announcements.markDone(id);
  await deps.pace.hold(channel, deps.intervalMs);
  return { kind: 'sent' };
}

/** The channel is gone or shut us out: turn its subscriptions off, say why in the audit log, stop trying. */
async function stopAnnouncingIn(deps: DrainDeps, channel: ChannelRef, reason: string): Promise<void> {
  const at = deps.now();
  for (const sub of await deps.subscriptions.ofChannel(channel.teamId, channel.channelId)) {
    const before = await deps.subscriptions.disable(channel.teamId, sub.app, channel.channelId, reason, at);
    if (!before?.enabled) continue;
    await deps.audit.append({
      teamId: channel.teamId,
      at,
      actor: 'system',
      action: 'subscription.disabled',
      app: sub.app,
      apps: [sub.app],
      details: { channelId: channel.channelId, reason },
    });
  }
  const dropped = await deps.announcements.dropChannel(channel, reason);
  deps.logger.warn({ ...channel, reason, dropped }, 'announcements: channel gone, its subscriptions are off');
}
