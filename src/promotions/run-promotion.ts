import type { Lease, Leases } from '../mongo/mongo-lease.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { CouplingsStore } from '../pipelines/couplings-store.js';
import { downstreamOf } from '../pipelines/pipeline-graph.js';
import { currentOf } from '../platform/current-release.js';
import type { Platform, Release } from '../platform/platform.js';
import { PlatformError, PlatformNotFoundError, PlatformUnavailableError } from '../platform/platform-errors.js';
import { lockedError } from './locked-error.js';
import { isTerminal, type Promotion, promotionDescription, releaseDescriptionOf } from './promotion.js';
import { type ReconsiderDeps, reconsiderPolicy } from './reconsider-policy.js';
import { finishRevision, recordTransition } from './record-transition.js';
import { movedReason, type SupersedeDeps, supersedeMoved } from './supersede-moved.js';

export type RunDeps = ReconsiderDeps &
  SupersedeDeps & {
    apps: AppsStore;
    couplings: CouplingsStore;
    platform: Platform;
    leases: Leases;
    /**
     * How long a platform write whose answer never came may still be applied. Heroku's router ends a request
     * after 30 s (H12), so past that a write that left no release never will.
     */
    writeSettleMs: number;
  };

/**
 * Another promotion or rollback into the same app holds its lease: nothing was done, try again shortly. An outcome,
 * not an error: the queue decides what waiting means (a delayed job).
 */
export const DOWNSTREAM_BUSY = 'downstream_busy' as const;
/** An earlier write may still land: look again at `at` (a second write now could make a second release). */
export type WriteUnsettled = { unsettledUntil: Date };
export type RunOutcome = Promotion | null | typeof DOWNSTREAM_BUSY | WriteUnsettled;

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
    const step = progress(p, await recentReleases(deps.platform, p.downstream));
    if (step.step === 'done') return succeed(deps, p, step.release);
    const unsettled = unsettledUntil(deps, p);
    if (unsettled) return unsettled;
    return fail(deps, p, error);
  });
}

async function underLease(
  deps: RunDeps,
  promotionId: string,
  work: (p: Promotion, lease: Lease) => Promise<Promotion | null | WriteUnsettled>,
): Promise<RunOutcome> {
  const first = await deps.promotions.getById(promotionId);
  if (!first || isTerminal(first.state) || first.state === 'pending_approval') return first;
  const lease = await deps.leases.acquire(first.teamId, `deploy:${first.downstream}`);
  if (!lease) return DOWNSTREAM_BUSY;
  try {
    // Read again under the lease: whoever held it before may have finished this very request.
    const p = await deps.promotions.getById(promotionId);
    if (!p || isTerminal(p.state)) return p;
    if (!(await carryOnStranded(deps, p, lease))) return DOWNSTREAM_BUSY;
    return await work(p, lease);
  } catch (err) {
    if (err instanceof PlatformError && !err.retryable) return fail(deps, first, err.message);
    throw err;
  } finally {
    await lease.release();
  }
}

/**
 * Another request into the same app still `running`, while we hold the app's lease, is one whose worker died
 * mid-attempt. Nobody else can be working on it, so it is carried on here, first: a new promotion must not start
 * beside one that may still be landing. False when it cannot be finished yet (its write may still land).
 */
async function carryOnStranded(deps: RunDeps, p: Promotion, lease: Lease): Promise<boolean> {
  await finishClaimedStarts(deps, p);
  const stranded = (await deps.promotions.runningInto(p.teamId, p.downstream)).filter((r) => r.id !== p.id);
  for (const other of stranded) {
    deps.logger.warn({ stranded: other.id }, 'carrying on a promotion whose worker died, before this one');
    const outcome = await deploy(deps, other, lease);
    if (!outcome || !('state' in outcome) || !isTerminal(outcome.state)) return false;
  }
  return true;
}

/**
 * A start claimed (and audited) by an attempt that failed before storing it (MongoDB dropped the connection) is
 * running all the same: finish it, so the check for stranded promotions sees it.
 */
async function finishClaimedStarts(deps: RunDeps, p: Promotion): Promise<void> {
  for (const other of await deps.promotions.openInto(p.downstream, p.teamId)) {
    if (other.id === p.id || other.state !== 'approved') continue;
    const claimed = await deps.promotions.marker(other.id, other.rev + 1);
    if (claimed?.patch.state === 'running') await finishRevision(deps, claimed);
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

async function deploy(deps: RunDeps, p: Promotion, lease: Lease): Promise<Promotion | null | WriteUnsettled> {
  const { lock } = await deps.apps.get(p.teamId, p.downstream);
  // The lock's holder may still roll back the app they locked to fix it.
  if (lock && !(p.kind === 'rollback' && lock.by === p.requestedBy))
    return fail(deps, p, lockedError(p.downstream, lock).message);
  const step = progress(p, await recentReleases(deps.platform, p.downstream));
  if (step.step === 'done') return succeed(deps, p, step.release);
  // Until an unanswered write can no longer land, neither a second write nor "moved" can be told truthfully.
  const unsettled = unsettledUntil(deps, p);
  if (unsettled) return unsettled;
  if (step.step === 'moved') {
    // What moved this one moved the others into the same app too.
    await supersedeMoved(deps, p.downstream, step.current);
    return supersede(deps, p, movedReason(p.downstream, step.current));
  }
  const unlinked = p.kind === 'promotion' && !(await stillLinked(deps, p));
  if (unlinked) return supersede(deps, p, `the link ${p.upstream} ---> ${p.downstream} was removed since the request`);
  if (!lease.held()) throw new LeaseLostError(`the lease on ${p.downstream} lapsed before the write; retrying`);
  return succeed(deps, p, await write(deps, p));
}

/**
 * The one write. It is noted first, so that whoever runs this request next (a retry, or another worker after a
 * crash) knows a release may be on its way. A refusal clears the note; a release ends the request.
 */
async function write(deps: RunDeps, p: Promotion): Promise<Release> {
  await deps.promotions.markWriting(p.id, deps.now());
  try {
    return p.kind === 'rollback'
      ? await deps.platform.rollback(p.downstream, p.source.id)
      : await deps.platform.createRelease(p.downstream, {
          slug: p.source.slugId ?? '',
          description: promotionDescription(p),
        });
  } catch (err) {
    // A timeout or a lost answer leaves the write in doubt; any other answer means it was not made.
    if (!(err instanceof PlatformUnavailableError && err.status === null))
      await deps.promotions.markWriting(p.id, null);
    throw err;
  }
}

function unsettledUntil(deps: RunDeps, p: Promotion): WriteUnsettled | null {
  if (!p.writingSince) return null;
  const until = new Date(p.writingSince.getTime() + deps.writeSettleMs);
  return until > deps.now() ? { unsettledUntil: until } : null;
}

async function stillLinked(deps: RunDeps, p: Promotion): Promise<boolean> {
  return downstreamOf(await deps.couplings.links(p.teamId), p.upstream) === p.downstream;
}

/** Ends a request that no longer describes what can happen (the app moved, the link is gone), saying why. */
function supersede(deps: RunDeps, p: Promotion, reason: string): Promise<Promotion | null> {
  return recordTransition(deps, p, { state: 'superseded', error: reason }, { type: 'superseded', reason });
}

/** Enough of an app's newest releases to find this request's own among those made since it was asked. */
async function recentReleases(platform: Platform, app: string): Promise<Release[]> {
  const releases = await platform.listReleases(app, { limit: 10 });
  if (releases.length === 0) throw new PlatformNotFoundError(`${app} has no releases yet.`);
  return releases;
}

type Progress = { step: 'done'; release: Release } | { step: 'moved'; current: Release } | { step: 'write' };

/**
 * Check-then-act (the platform has no idempotency key): has this request's release already been made (a previous
 * attempt's answer was lost, or its worker died after the call; others may have been released since), has the
 * downstream moved, or is it ours to write?
 */
function progress(p: Promotion, releases: Release[]): Progress {
  // Ours: newer than the release pinned at request time, with our build and our description.
  const ours = releases.find(
    (r) =>
      r.version > p.downstreamAtRequest.version &&
      r.slugId === p.source.slugId &&
      r.description === releaseDescriptionOf(p),
  );
  if (ours) return { step: 'done', release: ours };
  const current = currentOf(releases) as Release;
  // A rollback may restore the same build with older config, so its releases are told apart by id, not slug.
  if (p.kind === 'rollback')
    return current.id === p.downstreamAtRequest.id ? { step: 'write' } : { step: 'moved', current };
  if (current.slugId === p.source.slugId) return { step: 'done', release: current };
  return current.slugId === p.downstreamAtRequest.slugId ? { step: 'write' } : { step: 'moved', current };
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
