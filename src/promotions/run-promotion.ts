import type { Lease, Leases } from '../mongo/mongo-lease.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { CouplingsStore } from '../pipelines/couplings-store.js';
import { downstreamOf } from '../pipelines/pipeline-graph.js';
import { currentRelease } from '../platform/current-release.js';
import type { Platform, Release } from '../platform/platform.js';
import { PlatformError } from '../platform/platform-errors.js';
import { lockedError } from './locked-error.js';
import { isTerminal, type Promotion, promotionDescription, releaseDescriptionOf } from './promotion.js';
import { type ReconsiderDeps, reconsiderPolicy } from './reconsider-policy.js';
import { recordTransition } from './record-transition.js';
import { movedReason, type SupersedeDeps, supersedeMoved } from './supersede-moved.js';

export type RunDeps = ReconsiderDeps &
  SupersedeDeps & {
    apps: AppsStore;
    couplings: CouplingsStore;
    platform: Platform;
    leases: Leases;
  };

/**
 * Another promotion or rollback into the same app holds its lease: nothing was done, try again shortly. An outcome,
 * not an error: the queue decides what waiting means (a delayed job).
 */
export const DOWNSTREAM_BUSY = 'downstream_busy' as const;
export type RunOutcome = Promotion | null | typeof DOWNSTREAM_BUSY;

/** This attempt stalled so long that its lease lapsed; it must not write (another attempt may be running). */
class LeaseLostError extends Error {}

/**
 * One attempt at a request, DESIGN §5 step by step. Retryable platform errors propagate (the queue retries them
 * with backoff, and a 429 waits without spending an attempt); every other outcome is recorded on the request.
 */
export function runPromotion(deps: RunDeps, promotionId: string): Promise<RunOutcome> {
  return underLease(deps, promotionId, async (p, lease) => {
    const running = await start(deps, p);
    return running ? deploy(deps, running, lease) : deps.promotions.getById(promotionId);
  });
}

/**
 * After the last attempt failed: the platform may still have made the release (a lost answer), so look before
 * calling it a failure.
 */
export function giveUp(deps: RunDeps, promotionId: string, error: string): Promise<RunOutcome> {
  return underLease(deps, promotionId, async (p) => {
    const current = await currentRelease(deps.platform, p.downstream);
    if (progress(p, current) === 'done') return succeed(deps, p, current);
    return fail(deps, p, error);
  });
}

async function underLease(
  deps: RunDeps,
  promotionId: string,
  work: (p: Promotion, lease: Lease) => Promise<Promotion | null>,
): Promise<RunOutcome> {
  const first = await deps.promotions.getById(promotionId);
  if (!first || isTerminal(first.state) || first.state === 'pending_approval') return first;
  const lease = await deps.leases.acquire(first.teamId, `deploy:${first.downstream}`);
  if (!lease) return DOWNSTREAM_BUSY;
  try {
    // Read again under the lease: whoever held it before may have finished this very request.
    const p = await deps.promotions.getById(promotionId);
    if (!p || isTerminal(p.state)) return p;
    return await work(p, lease);
  } catch (err) {
    if (err instanceof PlatformError && !err.retryable) return fail(deps, first, err.message);
    throw err;
  } finally {
    await lease.release();
  }
}

/**
 * `approved → running`, if the approvals still satisfy the policy in force (else it waits for more, and its card
 * says why); a request already `running` is a crashed attempt's, and this attempt carries it on.
 */
async function start(deps: RunDeps, p: Promotion): Promise<Promotion | null> {
  if (p.state === 'running') return p;
  if (p.state !== 'approved') return null;
  const judged = await reconsiderPolicy(deps, p);
  if (judged?.state !== 'approved') return null;
  const running = await recordTransition(deps, judged, { state: 'running' }, { type: 'running' });
  if (running) return running;
  const now = await deps.promotions.getById(p.id);
  return now?.state === 'running' ? now : null;
}

async function deploy(deps: RunDeps, p: Promotion, lease: Lease): Promise<Promotion | null> {
  const { lock } = await deps.apps.get(p.teamId, p.downstream);
  // The lock's holder may still roll back the app they locked to fix it.
  if (lock && !(p.kind === 'rollback' && lock.by === p.requestedBy))
    return fail(deps, p, lockedError(p.downstream, lock).message);
  const current = await currentRelease(deps.platform, p.downstream);
  const step = progress(p, current);
  if (step === 'done') return succeed(deps, p, current);
  if (step === 'moved') {
    // What moved this one moved the others into the same app too.
    await supersedeMoved(deps, p.downstream, current);
    return supersede(deps, p, movedReason(p.downstream, current));
  }
  const unlinked = p.kind === 'promotion' && !(await stillLinked(deps, p));
  if (unlinked) return supersede(deps, p, `the link ${p.upstream} ---> ${p.downstream} was removed since the request`);
  if (!lease.held()) throw new LeaseLostError(`the lease on ${p.downstream} lapsed before the write; retrying`);
  const release =
    p.kind === 'rollback'
      ? await deps.platform.rollback(p.downstream, p.source.id)
      : await deps.platform.createRelease(p.downstream, {
          slug: p.source.slugId ?? '',
          description: promotionDescription(p),
        });
  return succeed(deps, p, release);
}

async function stillLinked(deps: RunDeps, p: Promotion): Promise<boolean> {
  return downstreamOf(await deps.couplings.links(p.teamId), p.upstream) === p.downstream;
}

/** Ends a request that no longer describes what can happen (the app moved, the link is gone), saying why. */
function supersede(deps: RunDeps, p: Promotion, reason: string): Promise<Promotion | null> {
  return recordTransition(deps, p, { state: 'superseded', error: reason }, { type: 'superseded', reason });
}

/**
 * Check-then-act (the platform has no idempotency key): has this request's release already been made (a previous
 * attempt's answer was lost, or its worker died after the call), has the downstream moved, or is it ours to write?
 */
function progress(p: Promotion, current: Release): 'done' | 'moved' | 'write' {
  if (p.kind === 'rollback') {
    // A rollback may restore the same build with older config, so releases are told apart by id, not slug.
    if (current.id === p.downstreamAtRequest.id) return 'write';
    const ours = current.slugId === p.source.slugId && current.description === releaseDescriptionOf(p);
    return ours ? 'done' : 'moved';
  }
  if (current.slugId === p.source.slugId) return 'done';
  return current.slugId === p.downstreamAtRequest.slugId ? 'write' : 'moved';
}

async function succeed(deps: RunDeps, p: Promotion, release: Release): Promise<Promotion | null> {
  const now = await deps.promotions.getById(p.id);
  if (now?.state !== 'running') return now;
  const result = { releaseId: release.id, version: release.version };
  const done = await recordTransition(
    deps,
    now,
    { state: 'succeeded', result },
    { type: 'succeeded', version: release.version },
  );
  // The other open requests into this app were pinned to the release this one replaced.
  await supersedeMoved(deps, p.downstream, release, p.teamId);
  return done;
}

/** Records a failure, unless the request already ended. */
async function fail(deps: RunDeps, p: Promotion, error: string): Promise<Promotion | null> {
  const now = await deps.promotions.getById(p.id);
  if (!now || isTerminal(now.state)) return now;
  return recordTransition(deps, now, { state: 'failed', error }, { type: 'failed', reason: error });
}
