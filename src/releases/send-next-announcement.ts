import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import type { Leases } from '../mongo/mongo-lease.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { Promotion } from '../promotions/promotion.js';
import type { PromotionView } from '../promotions/promotion-view.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import type { Announcement, AnnouncementDrains, ChannelRef } from './announcement.js';
import type { AnnouncementsStore } from './announcements-store.js';
import { mayHaveMissedPredecessor, nextLine } from './next-line.js';
import { mayBeOurs, promotionOfRelease } from './promotion-of-release.js';
import { type SyncDeps, syncAppReleases } from './sync-app-releases.js';

export type SendResult =
  | { kind: 'sent'; ts: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The channel was deleted or archived, or the bot was removed from it. */
  | { kind: 'channel_gone'; reason: string }
  /** Slack refused this message as it is; sending it again cannot help. */
  | { kind: 'rejected'; reason: string }
  /** Our install is broken (token revoked, scope missing): nothing goes out in the workspace until it is fixed. */
  | { kind: 'install_broken'; reason: string }
  /** Refused for a reason we do not know: tried a few more times, then given up on. */
  | { kind: 'refused'; reason: string };

/** What a message says besides the release: the request that made it, and where its commits live. */
export type AnnouncementContext = { promotion: Promotion | null; repo: string | null; shown?: boolean };

/** The chat side: one line in the channel, the details in that line's thread. */
export type AnnouncementSender = {
  postLine(a: Announcement, context: AnnouncementContext): Promise<SendResult>;
  postDetails(a: Announcement, threadTs: string, context: AnnouncementContext): Promise<SendResult>;
};

/** How soon a channel may hear from us again: shared by every worker, so the channel's rate holds across them. */
export type Pace = {
  remainingMs(channel: ChannelRef): Promise<number>;
  hold(channel: ChannelRef, ms: number): Promise<void>;
  /** Slack said to wait: the channel does, and its workspace too when the limit looks like the workspace's. */
  rateLimited(channel: ChannelRef, ms: number): Promise<void>;
  /** Every channel of a workspace waits (its install is broken until someone fixes it). */
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
  /** Whether a request's card is posted yet: a line about its release links to it. */
  view: Pick<PromotionView, 'isShown'>;
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
const INSTALL_BROKEN_WAIT_MS = 10 * 60_000;
const REFUSALS_BEFORE_DROP = 5;
const CONTEXT_GRACE_MS = 15_000;

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
    if (next.step === 'line' && awaitsItsContext(a, context, deps.now())) return { kind: 'wait', ms: 1_000 };
    const result =
      next.step === 'line'
        ? await deps.sender.postLine(a, context)
        : await deps.sender.postDetails(a, a.ts ?? '', context);
    return await record(deps, channel, next, context, result);
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
  if (!posted) return null;
  if (!(await deps.subscriptions.get(channel.teamId, posted.app, channel.channelId))?.enabled) {
    await deps.announcements.drop(posted.id, 'muted');
    return { step: 'again' };
  }
  return { step: 'details', announcement: posted };
}

async function catchUp(deps: DrainDeps, app: string): Promise<void> {
  let found: ChannelRef[] = [];
  try {
    found = await syncAppReleases(deps, app);
  } catch (err) {
    // The platform is unreachable: post what we have rather than hold the channel back.
    deps.logger.warn({ err, app }, 'announcements: could not look for missed releases');
  }
  // What turned up may be news for other channels too; if they cannot be woken now, the sweep will.
  await deps.drains.enqueue(found).catch((err) => deps.logger.warn({ err }, 'announcements: could not wake'));
}

/**
 * A release we made can be seen before we have recorded it as ours (the platform's webhook races our own
 * bookkeeping), and a promotion that needs no approval can be released before its card is posted. Its line
 * waits a little for both, rather than go out as someone else's release or without the link to its card.
 */
function awaitsItsContext(a: Announcement, context: AnnouncementContext, now: Date): boolean {
  if (now.getTime() - a.queuedAt.getTime() >= CONTEXT_GRACE_MS) return false;
  if (!context.promotion) return mayBeOurs(a.release.description);
  return !context.shown;
}

async function contextOf(deps: DrainDeps, a: Announcement): Promise<AnnouncementContext> {
  const [promotion, settings] = await Promise.all([
    promotionOfRelease(deps.promotions, a),
    deps.apps.get(a.teamId, a.app),
  ]);
  const shown = promotion ? await deps.view.isShown(promotion.id) : false;
  return { promotion, repo: settings.repo, shown };
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
    await deps.pace.rateLimited(channel, result.retryAfterMs);
    return { kind: 'wait', ms: result.retryAfterMs };
  }
  if (result.kind === 'channel_gone') {
    await stopAnnouncingIn(deps, channel, result.reason);
    return { kind: 'channel_gone' };
  }
  if (result.kind === 'install_broken') {
    deps.logger.error({ reason: result.reason }, 'announcements: Slack refuses our install; waiting');
    await deps.pace.holdWorkspace(channel.teamId, INSTALL_BROKEN_WAIT_MS);
    return { kind: 'wait', ms: INSTALL_BROKEN_WAIT_MS };
  }
  if (result.kind === 'refused') {
    const failures = await deps.announcements.countFailure(id, result.reason);
    if (failures < REFUSALS_BEFORE_DROP) return { kind: 'wait', ms: failures * 15_000 };
  }
  if (result.kind === 'rejected' || result.kind === 'refused') {
    // One message Slack will not take must not hold up the channel's others.
    await dropAndAudit(deps, next.announcement, `Slack refused it: ${result.reason}`);
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
  // The audit entry goes first, keyed by the subscription's start: a crash before the switch-off leaves it to
  // the next attempt, which finds the entry written and writes no second one.
  for (const sub of await deps.subscriptions.ofChannel(channel.teamId, channel.channelId)) {
    await deps.audit.append({
      teamId: channel.teamId,
      at,
      actor: 'system',
      action: 'subscription.disabled',
      app: sub.app,
      apps: [sub.app],
      details: { channelId: channel.channelId, reason },
      key: `subscription-disabled:${channel.teamId}:${sub.app}:${channel.channelId}:${sub.at.toISOString()}`,
    });
    await deps.subscriptions.disable(channel.teamId, sub.app, channel.channelId, reason, at);
  }
  const dropped = await deps.announcements.dropChannel(channel, reason);
  deps.logger.warn({ reason, dropped }, 'announcements: channel gone, its subscriptions are off');
}

async function dropAndAudit(deps: DrainDeps, a: Announcement, reason: string): Promise<void> {
  deps.logger.error({ announcement: a.id, reason }, 'announcements: given up on a message');
  // Keyed, and before the drop: a retry after a crash in between writes no second entry.
  await deps.audit.append({
    teamId: a.teamId,
    at: deps.now(),
    actor: 'system',
    action: 'announcement.dropped',
    app: a.app,
    apps: [a.app],
    details: { channelId: a.channelId, version: a.version, reason },
    key: `announcement-dropped:${a.id}`,
  });
  await deps.announcements.drop(a.id, reason);
}
