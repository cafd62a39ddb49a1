import type { AppsStore } from '../apps/apps-store.js';
import { AppError } from '../errors.js';
import type { Platform, Release } from '../platform/platform.js';
import { PlatformError } from '../platform/platform-errors.js';
import type { Leases } from '../store/mongo-lease.js';
import { lockedError } from './locked-error.js';
import { isTerminal, type Promotion, promotionDescription } from './promotion.js';
import { recordTransition, type TransitionDeps } from './record-transition.js';

export type RunDeps = TransitionDeps & { apps: AppsStore; platform: Platform; leases: Leases };

/** Another promotion or rollback into the same app holds its lease: try again shortly, nothing is dropped. */
export class DownstreamBusyError extends AppError {
  readonly code = 'downstream_busy';
}

/**
 * One attempt at a request, DESIGN §5 step by step. Retryable platform errors propagate (the queue retries them
 * with backoff, and a 429 waits without spending an attempt); every other outcome is recorded on the request.
 */
export async function runPromotion(deps: RunDeps, promotionId: string): Promise<Promotion | null> {
  const first = await deps.promotions.getById(promotionId);
  if (!first || isTerminal(first.state) || first.state === 'pending_approval') return first;
  const lease = await deps.leases.acquire(first.teamId, `deploy:${first.downstream}`);
  if (!lease) throw new DownstreamBusyError(`${first.downstream} is busy with another promotion or rollback`);
  try {
    const p = await start(deps, promotionId);
    return p ? await deploy(deps, p) : deps.promotions.getById(promotionId);
  } catch (err) {
    if (err instanceof PlatformError && !err.retryable) return fail(deps, promotionId, err.message);
    throw err;
  } finally {
    await lease.release();
  }
}

/** `approved → running`; a request already `running` is a crashed attempt's, and this attempt carries it on. */
async function start(deps: RunDeps, promotionId: string): Promise<Promotion | null> {
  const p = await deps.promotions.getById(promotionId);
  if (!p || p.state === 'running') return p;
  if (p.state !== 'approved') return null;
  return recordTransition(deps, p, { state: 'running' }, { type: 'running' });
}

async function deploy(deps: RunDeps, p: Promotion): Promise<Promotion | null> {
  const { lock } = await deps.apps.get(p.teamId, p.downstream);
  // The lock's holder may still roll back the app they locked to fix it.
  if (lock && !(p.kind === 'rollback' && lock.by === p.requestedBy)) {
    return finish(deps, p, { state: 'failed', error: lockedError(p.downstream, lock).message }, 'failed');
  }
  const current = await currentRelease(deps.platform, p.downstream);
  // Already there: a previous attempt's write went through (its answer lost, or its worker killed after the call).
  if (current.slugId === p.source.slugId) return succeed(deps, p, current);
  if (current.slugId !== p.downstreamAtRequest.slugId) {
    const reason = `${p.downstream} moved to v${current.version} since the request`;
    return finish(deps, p, { state: 'superseded', error: reason }, 'superseded');
  }
  const release =
    p.kind === 'rollback'
      ? await deps.platform.rollback(p.downstream, p.source.id)
      : await deps.platform.createRelease(p.downstream, {
          slug: p.source.slugId ?? '',
          description: promotionDescription(p),
        });
  return succeed(deps, p, release);
}

async function currentRelease(platform: Platform, app: string): Promise<Release> {
  const releases = await platform.listReleases(app, { limit: 5 });
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) throw new Error(`${app} has no releases`);
  return current;
}

function succeed(deps: RunDeps, p: Promotion, release: Release) {
  return deps.promotions
    .getById(p.id)
    .then((now) =>
      now && now.state === 'running'
        ? recordTransition(
            deps,
            now,
            { state: 'succeeded', result: { releaseId: release.id, version: release.version } },
            { type: 'succeeded', version: release.version },
          )
        : now,
    );
}

async function finish(deps: RunDeps, p: Promotion, patch: Partial<Promotion>, type: 'failed' | 'superseded') {
  return recordTransition(deps, p, patch, { type, reason: patch.error });
}

/** Records a failure the platform gave (or the last retry's), unless the request already ended. */
export async function fail(deps: RunDeps, promotionId: string, error: string): Promise<Promotion | null> {
  const p = await deps.promotions.getById(promotionId);
  if (!p || isTerminal(p.state)) return p;
  return recordTransition(deps, p, { state: 'failed', error }, { type: 'failed', reason: error });
}
