import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../actor.js';
import { RefusedError } from '../errors.js';
import type { AppSettings } from '../pipelines/apps-store.js';
import type { Release } from '../platform/platform.js';
import type { AppDiff } from './diff-apps.js';
import { snapshotOf } from './policy-in-force.js';
import type { DiffSnapshot, PinnedRelease, Promotion } from './promotion.js';

/** The downstream already runs the upstream's build: `everything is up to date`. */
export class NothingToPromoteError extends RefusedError {
  readonly upstream: string;
  readonly downstream: string;

  constructor(upstream: string, downstream: string, version: number) {
    super(`${downstream} already runs ${upstream} v${version}: nothing to promote.`);
    this.upstream = upstream;
    this.downstream = downstream;
  }
}

export const pin = (release: Release, commit: string | null): PinnedRelease => ({
  id: release.id,
  version: release.version,
  slugId: release.slugId,
  commit,
});

/** A promotion request pinned to what the diff showed: the upstream's release and the downstream's at this moment. */
export function buildPromotionRequest(
  actor: Actor,
  requestKey: string,
  diff: AppDiff,
  target: AppSettings,
  now: Date,
  confirm = false,
): Promotion {
  const { upstream, downstream } = diff;
  if (!upstream.release.slugId) throw new RefusedError(`${upstream.app} has no build to promote yet: deploy it first.`);
  if (upstream.release.slugId === downstream.release.slugId) {
    throw new NothingToPromoteError(upstream.app, downstream.app, upstream.release.version);
  }
  const policy = target.policy;
  const snapshot = snapshotOf(policy, 'promotion', confirm);
  return {
    id: randomUUID(),
    teamId: actor.teamId,
    requestKey,
    kind: 'promotion',
    upstream: upstream.app,
    downstream: downstream.app,
    source: pin(upstream.release, upstream.commit),
    downstreamAtRequest: pin(downstream.release, downstream.commit),
    diff: snapshotDiff(diff),
    requestedBy: actor.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.expiresMs),
    policy: snapshot,
    ...(confirm ? { confirm } : {}),
    approvals: [],
    state: snapshot.approvals === 0 ? 'approved' : 'pending_approval',
    rev: 0,
    updatedAt: now,
  };
}

function snapshotDiff(diff: AppDiff): DiffSnapshot {
  const { aheadBy, behindBy, commits, url } = diff.comparison;
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        diff.upstream.release.id,
        diff.downstream.release.id,
        aheadBy,
        behindBy,
        commits.map((c) => c.sha),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return { aheadBy, behindBy, commits, behindCommits: diff.behindCommits, url, partial: diff.partial, hash };
}

/** A rollback is a request too: the app's own older release goes back on, through the same lease, lock and audit. */
export function buildRollbackRequest(
  actor: Actor,
  requestKey: string,
  app: AppSettings,
  releases: { current: Release; target: Release; commits: [string | null, string | null] },
  now: Date,
): Promotion {
  const policy = app.policy;
  return {
    id: randomUUID(),
    teamId: actor.teamId,
    requestKey,
    kind: 'rollback',
    upstream: app.app,
    downstream: app.app,
    source: pin(releases.target, releases.commits[0]),
    downstreamAtRequest: pin(releases.current, releases.commits[1]),
    diff: null,
    requestedBy: actor.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.expiresMs),
    policy: snapshotOf(policy, 'rollback'),
    approvals: [],
    state: policy.rollbackApprovals === 0 ? 'approved' : 'pending_approval',
    rev: 0,
    updatedAt: now,
  };
}
