import type { AppsStore } from '../pipelines/apps-store.js';
import { type ApproverDirectory, isAllowedApprover } from './approver-directory.js';
import { describePolicyChange, reevaluate, snapshotOf } from './policy-in-force.js';
import type { Promotion } from './promotion.js';
import { recordTransition, type TransitionDeps } from './record-transition.js';

export type ReconsiderDeps = TransitionDeps & { apps: AppsStore; approvers: ApproverDirectory };

/**
 * Puts an open request under the policy in force for its downstream (the policy command does it at once; an
 * approval and the engine do it again, so a missed change still counts). One audited transition when anything
 * changes: the new requirement, approvals that no longer count dropped, approved exactly when enough remain.
 * Returns the request as it stands after, or null when someone else changed it first.
 */
export async function reconsiderPolicy(deps: ReconsiderDeps, p: Promotion, by = 'system'): Promise<Promotion | null> {
  if (p.state !== 'pending_approval' && p.state !== 'approved') return p;
  const { policy } = await deps.apps.get(p.teamId, p.downstream);
  const next = snapshotOf(policy, p.kind, p.confirm);
  const approvers = new Set<string>();
  for (const { userId } of p.approvals) {
    if (await isAllowedApprover(deps.approvers, p.teamId, userId, next)) approvers.add(userId);
  }
  const change = reevaluate(p, next, (userId) => approvers.has(userId));
  if (!change) return p;
  const reason = describePolicyChange(p.policy, change.policy, change.dropped);
  const policyChange = { by, at: deps.now(), before: p.policy, dropped: change.dropped };
  return recordTransition(
    deps,
    p,
    { state: change.state, policy: change.policy, approvals: change.approvals, policyChange },
    { type: 'policy_changed', by: by === 'system' ? undefined : by, reason },
  );
}
