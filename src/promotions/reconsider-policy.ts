import type { AppsStore } from '../pipelines/apps-store.js';
import { type ApproverDirectory, isAllowedApprover } from './approver-directory.js';
import { describePolicyChange, reevaluate, snapshotOf } from './policy-in-force.js';
import { isOpen, type Promotion } from './promotion.js';
import { type TransitionDeps, transitionAsItStands } from './record-transition.js';

export type ReconsiderDeps = TransitionDeps & { apps: AppsStore; approvers: ApproverDirectory };

/**
 * Puts an open request under the policy in force for its downstream (the policy command does it at once; an
 * approval and the engine do it again, so a missed change still counts). One audited transition when anything
 * changes: the new requirement, approvals that no longer count dropped, approved exactly when enough remain.
 * Returns the request as it stands after (changed or not), or null when it kept losing races.
 */
export async function reconsiderPolicy(deps: ReconsiderDeps, p: Promotion, by = 'system'): Promise<Promotion | null> {
  let unchanged: Promotion | null = null;
  const changed = await transitionAsItStands(deps, p, async (current) => {
    const change = await changeUnderPolicy(deps, current, by);
    if (!change) unchanged = current;
    return change;
  });
  return changed ?? unchanged;
}

async function changeUnderPolicy(deps: ReconsiderDeps, p: Promotion, by: string) {
  if (!isOpen(p.state)) return null;
  const { policy } = await deps.apps.get(p.teamId, p.downstream);
  const next = snapshotOf(policy, p.kind, p.confirm);
  const approvers = new Set<string>();
  for (const { userId } of p.approvals) {
    if (await isAllowedApprover(deps.approvers, p.teamId, userId, next)) approvers.add(userId);
  }
  const change = reevaluate(p, next, (userId) => approvers.has(userId));
  if (!change) return null;
  const reason = describePolicyChange(p.policy, change.policy, change.dropped);
  const policyChange = { by, at: deps.now(), before: p.policy, dropped: change.dropped };
  return {
    patch: { state: change.state, policy: change.policy, approvals: change.approvals, policyChange },
    note: { type: 'policy_changed' as const, by: by === 'system' ? undefined : by, reason },
  };
}
