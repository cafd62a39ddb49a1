import type { Actor } from '../actor.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import { NotFoundError, RefusedError } from '../errors.js';
import { whileStoreAway } from '../mongo/while-store-away.js';
import { parseAppName } from '../pipelines/app-name.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { CouplingsStore } from '../pipelines/couplings-store.js';
import { downstreamOf } from '../pipelines/pipeline-graph.js';
import type { CodeHost, Platform } from '../platform/platform.js';
import { type Decision, decideApproval, decideCancel, decideRejection } from './approval-rules.js';
import { type ApproverDirectory, isAllowedApprover } from './approver-directory.js';
import { buildPromotionRequest, buildRollbackRequest } from './build-request.js';
import { diffApps } from './diff-apps.js';
import type { LearnedReleasesStore, SeenRelease } from './learned-releases-store.js';
import { lockedError } from './locked-error.js';
import { isOpen, type Promotion } from './promotion.js';
import type { PromotionEvents } from './promotion-events.js';
import type { PromotionsStore } from './promotions-store.js';
import { reconsiderPolicy } from './reconsider-policy.js';
import {
  eventOf,
  publish,
  RACE_RETRIES,
  recordTransition,
  subjectOf,
  transitionAsItStands,
} from './record-transition.js';
import { pickRollbackTarget } from './rollback-target.js';
import { supersedeIfKnownMoved, supersedeMoved } from './supersede-moved.js';

/** Hands an approved request to the engine. Fails fast when the queue is unreachable. */
export type PromotionQueue = { enqueue(promotionId: string): Promise<void> };

export type PromotionServiceDeps = {
  promotions: PromotionsStore;
  learnedReleases: LearnedReleasesStore;
  apps: AppsStore;
  couplings: CouplingsStore;
  audit: AuditStore;
  events: PromotionEvents;
  queue: PromotionQueue;
  platform: Platform;
  codeHost: CodeHost;
  approvers: ApproverDirectory;
  logger: Logger;
  now: () => Date;
};

export type PromotionService = ReturnType<typeof createPromotionService>;

/** A request as opened: `alreadyOpen` when the same change already had an open request (its card is elsewhere). */
export type OpenedPromotion = Promotion & { alreadyOpen?: true };

/** What a click did; `unchanged` says why nothing did (it already held: a double click). */
export type Acted = Promotion & { unchanged?: string };

export function createPromotionService(deps: PromotionServiceDeps) {
  /** Stores a new request once per request key, then settles it. */
  async function open(
    actor: Actor,
    requestKey: string,
    hold: boolean,
    build: () => Promise<Promotion>,
  ): Promise<OpenedPromotion> {
    const earlier = await deps.promotions.byRequestKey(actor.teamId, requestKey);
    if (earlier) return settleOpened(earlier, hold);
    const request = await build();
    const opened = await deps.promotions.insertOnce(hold ? { ...request, mustBeShown: true } : request);
    if (opened.alreadyOpen) return { ...opened.promotion, alreadyOpen: true };
    // Stored: from here on it must be audited and settled, even across a MongoDB restart.
    return whileStoreAway(async () => settleOpened(await stillValid(opened.promotion), hold));
  }

  /**
   * A request just stored checks what changed while it was being made: its downstream's policy, a release
   * learned of (a webhook in between), or its link removed. Each of those stores its change before it looks for
   * requests to end, so between the two, one of them sees the other.
   */
  async function stillValid(p: Promotion): Promise<Promotion> {
    // A policy changed meanwhile (its command re-evaluates only what it finds) is applied too.
    const judged = (await reconsiderPolicy(deps, p)) ?? p;
    const checked = await supersedeIfKnownMoved(deps, judged);
    if (checked.kind !== 'promotion' || !isOpen(checked.state)) return checked;
    if (downstreamOf(await deps.couplings.links(p.teamId), p.upstream) === p.downstream) return checked;
    const reason = `the link ${p.upstream} ---> ${p.downstream} was removed since this was requested`;
    const ended = await transitionAsItStands(deps, checked, async (current) =>
      isOpen(current.state)
        ? { patch: { state: 'superseded', error: reason }, note: { type: 'superseded', reason } }
        : null,
    );
    return ended ?? checked;
  }

  /**
   * Audits a new request (once: the event is keyed by the request) and queues it when no approval is needed.
   * A retried request runs this again, which finishes what a crash may have left undone.
   */
  async function settleOpened(p: Promotion, hold: boolean): Promise<Promotion> {
    await deps.audit.append({
      key: `${p.id}:0`,
      teamId: p.teamId,
      at: p.createdAt,
      actor: p.requestedBy,
      action: 'promotion.requested',
      app: p.downstream,
      apps: [...new Set([p.downstream, p.upstream])],
      promotionId: p.id,
      details: {
        ...subjectOf(p),
        state: p.policy.approvals === 0 ? 'approved' : 'pending_approval',
        source: p.source,
        diffHash: p.diff?.hash,
      },
    });
    if (p.rev === 0) await publish(deps, eventOf(p, { type: 'requested', by: p.requestedBy }, p.createdAt));
    if (p.state === 'approved' && !hold) await enqueue(p);
    return p;
  }

  /**
   * The request is shown where it was asked for (its card is posted): one that needs no approval may run now.
   * Until then a `hold` request waits, so nothing runs that nobody can see.
   */
  async function shown(p: Promotion): Promise<void> {
    if (p.state === 'approved') await enqueue(p);
  }

  /**
   * The request could not be shown (the bot may not post where it was asked): it ends, cancelled, with why, before
   * anyone could act on it.
   */
  async function withdrawUnshown(p: Promotion, reason: string): Promise<Promotion | null> {
    const now = await get(p.teamId, p.id);
    if (!isOpen(now.state)) return now;
    return recordTransition(
      deps,
      now,
      { state: 'cancelled', cancelledBy: 'system', error: reason },
      { type: 'cancelled', reason },
    );
  }

  /**
   * `confirm`: even when the policy needs no approval, wait for one click (diff's card: Approve means "promote
   * now"), which the requester may give.
   */
  async function requestPromotion(
    actor: Actor,
    input: { upstream: string; requestKey: string; confirm?: boolean; hold?: boolean },
  ) {
    const upstream = parseAppName(input.upstream);
    const requestKey = `${actor.teamId}:${input.requestKey}`;
    return open(actor, requestKey, input.hold ?? false, async () => {
      const downstream = downstreamOf(await deps.couplings.links(actor.teamId), upstream);
      if (!downstream) {
        throw new RefusedError(`${upstream} has no downstream app. Add one with /pipeline add ${upstream} DOWNSTREAM.`);
      }
      const [source, target] = await Promise.all([
        deps.apps.get(actor.teamId, upstream),
        deps.apps.get(actor.teamId, downstream),
      ]);
      if (target.lock) throw lockedError(downstream, target.lock);
      const diff = await diffApps(deps, { upstream, downstream, repo: source.repo ?? target.repo });
      // What the diff just read may be news: requests pinned to an older downstream end before this one opens.
      await learnRelease(downstream, diff.downstream.release, actor.teamId);
      // Removing commits from the downstream (its hotfix) is never done without a click, whatever the policy.
      const confirm = input.confirm || diff.comparison.behindBy > 0;
      return buildPromotionRequest(actor, requestKey, diff, target, deps.now(), confirm);
    });
  }

  async function requestRollback(
    actor: Actor,
    input: { app: string; version?: number; requestKey: string; hold?: boolean },
  ) {
    const app = parseAppName(input.app);
    const requestKey = `${actor.teamId}:${input.requestKey}`;
    return open(actor, requestKey, input.hold ?? false, async () => {
      const settings = await deps.apps.get(actor.teamId, app);
      if (settings.lock && settings.lock.by !== actor.userId) throw lockedError(app, settings.lock, 'roll it back');
      const releases = await deps.platform.listReleases(app, { limit: 100 });
      const { current, target } = pickRollbackTarget(app, releases, input.version);
      await learnRelease(app, current, actor.teamId);
      const commits = await Promise.all(
        [target, current].map(async (r) => (r.slugId ? (await deps.platform.getSlug(app, r.slugId)).commit : null)),
      );
      return buildRollbackRequest(
        actor,
        requestKey,
        settings,
        { current, target, commits: [commits[0] ?? null, commits[1] ?? null] },
        deps.now(),
      );
    });
  }

  /**
   * Applies a decision by compare-and-set. Losing a race is not an error: decide again on what is there now;
   * if the actor's wish already holds (a double click), answer with the current state.
   */
  async function act(
    actor: Actor,
    id: string,
    decide: (p: Promotion) => Promise<Decision>,
    patch: (p: Promotion, d: Decision & { ok: true }) => Partial<Promotion>,
    type: (d: Decision & { ok: true }) => 'approved' | 'approval_added' | 'rejected' | 'cancelled',
    options: { reason?: string; inForce?: boolean } = {},
  ): Promise<Acted> {
    const { reason } = options;
    for (let attempt = 0; attempt <= RACE_RETRIES; attempt++) {
      const read = await get(actor.teamId, id);
      // Approvals are judged by the policy in force now, not the one the request was made under.
      const current = options.inForce ? await underPolicyInForce(read) : read;
      if (!current) continue;
      const decision = await decide(current);
      if (!decision.ok) {
        if (decision.already) return { ...current, unchanged: decision.reason };
        if (current.state === 'pending_approval' && current.expiresAt <= deps.now()) await expire(current);
        throw new RefusedError(decision.reason);
      }
      const moved = await recordTransition(deps, current, patch(current, decision), {
        type: type(decision),
        by: actor.userId,
        reason,
      });
      if (moved) {
        if (moved.state === 'approved') await enqueue(moved);
        return moved;
      }
    }
    return get(actor.teamId, id);
  }

  const allowed = (p: Promotion, userId: string) => isAllowedApprover(deps.approvers, p.teamId, userId, p.policy);

  const approve = (actor: Actor, id: string) =>
    act(
      actor,
      id,
      async (p) => decideApproval(p, actor.userId, await allowed(p, actor.userId), deps.now()),
      (_p, d) => ({ state: d.state, approvals: d.approvals }),
      (d) => (d.state === 'approved' ? 'approved' : 'approval_added'),
      { inForce: true },
    );

  const reject = (actor: Actor, id: string, reason = '') =>
    act(
      actor,
      id,
      async (p) => decideRejection(p, actor.userId, await allowed(p, actor.userId), deps.now()),
      () => ({
        state: 'rejected',
        rejection: { by: actor.userId, reason: reason.trim().slice(0, 500), at: deps.now() },
      }),
      () => 'rejected',
      { reason: reason.trim() || undefined, inForce: true },
    );

  /** Whether `actor` may reject now, asked before the reason form opens (the decision is made again on submit). */
  async function mayReject(actor: Actor, id: string): Promise<void> {
    const read = await get(actor.teamId, id);
    const p = (await underPolicyInForce(read)) ?? read;
    const decision = decideRejection(p, actor.userId, await allowed(p, actor.userId), deps.now());
    if (!decision.ok) throw new RefusedError(decision.reason);
  }

  const cancel = (actor: Actor, id: string) =>
    act(
      actor,
      id,
      async (p) => decideCancel(p, actor.userId),
      () => ({ state: 'cancelled', cancelledBy: actor.userId }),
      () => 'cancelled',
    );

  /** The request re-evaluated under its downstream's policy now; null when it changed meanwhile (read it again). */
  async function underPolicyInForce(p: Promotion, by?: string): Promise<Promotion | null> {
    const now = await reconsiderPolicy(deps, p, by);
    if (now && now.rev !== p.rev && now.state === 'approved') await enqueue(now);
    return now;
  }

  /**
   * The policy of `app` changed: its open requests need what it says now. Returns those it changed, for their
   * cards (their events update the cards too).
   */
  async function applyPolicy(actor: Actor, app: string): Promise<Promotion[]> {
    const changed: Promotion[] = [];
    for (const p of await deps.promotions.openInto(app, actor.teamId)) {
      const now = await underPolicyInForce(p, actor.userId);
      if (now && now.rev !== p.rev) changed.push(now);
    }
    return changed;
  }

  async function expire(p: Promotion): Promise<boolean> {
    const reason = 'no decision before it expired';
    return (await recordTransition(deps, p, { state: 'expired' }, { type: 'expired', reason })) !== null;
  }

  /** Moves every pending request past its expiry to `expired`; returns how many it moved. */
  async function expireStale(): Promise<number> {
    const now = deps.now();
    const stale = (await deps.promotions.inStates(['pending_approval'])).filter((p) => p.expiresAt <= now);
    let expired = 0;
    for (const p of stale) if (await expire(p)) expired++;
    return expired;
  }

  async function enqueue(p: Promotion): Promise<void> {
    try {
      await deps.queue.enqueue(p.id);
    } catch (err) {
      // The approval is stored; the reconciler queues it once Redis answers again.
      deps.logger.error(
        { err, promotionId: p.id },
        'promotion approved but not queued yet; the reconciler will queue it',
      );
    }
  }

  async function get(teamId: string, id: string): Promise<Promotion> {
    const p = await deps.promotions.get(teamId, id);
    if (!p) throw new NotFoundError('That promotion request does not exist (or belongs to another workspace).');
    return p;
  }

  /**
   * A link was removed: its open requests no longer describe anything that can happen, so they end (cancelled,
   * by whoever removed it, with why). Returns the ones ended, for their cards.
   */
  /**
   * The bot learned of a release of `app` (a webhook, a diff's read): requests it moved are superseded. Returns
   * them, for their cards; their events update the cards too.
   */
  function learnRelease(app: string, release: SeenRelease, teamId?: string): Promise<Promotion[]> {
    return supersedeMoved(deps, app, release, teamId);
  }

  async function endAcrossLink(actor: Actor, upstream: string, downstream: string): Promise<Promotion[]> {
    const reason = `the link ${upstream} ---> ${downstream} was removed`;
    const ended: Promotion[] = [];
    for (const p of await deps.promotions.openInto(downstream, actor.teamId)) {
      const done = await transitionAsItStands(deps, p, async (current) =>
        current.kind === 'promotion' && current.upstream === upstream && isOpen(current.state)
          ? {
              patch: { state: 'cancelled', cancelledBy: actor.userId, error: reason },
              note: { type: 'cancelled', by: actor.userId, reason },
            }
          : null,
      );
      if (done) ended.push(done);
    }
    return ended;
  }

  return {
    requestPromotion,
    requestRollback,
    shown,
    withdrawUnshown,
    endAcrossLink,
    learnRelease,
    applyPolicy,
    approve,
    reject,
    mayReject,
    cancel,
    expireStale,
    get,
  };
}
