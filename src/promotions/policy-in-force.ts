import type { Policy } from '../pipelines/policy.js';
import type { PolicySnapshot, Promotion, PromotionState } from './promotion.js';

/** One click by anyone, the requester too: what "confirm" asks for when the policy itself needs no approval. */
export const CONFIRM_POLICY: PolicySnapshot = { approvals: 1, users: [], groups: [], selfApproval: true };

/** What a request needs under an app's policy: rollbacks have their own count; a confirm asks at least a click. */
export function snapshotOf(policy: Policy, kind: Promotion['kind'], confirm = false): PolicySnapshot {
  const approvals = kind === 'rollback' ? policy.rollbackApprovals : policy.approvals;
  if (confirm && approvals === 0) return CONFIRM_POLICY;
  return { approvals, ...policy.approvers, selfApproval: policy.selfApproval };
}

export function samePolicy(a: PolicySnapshot, b: PolicySnapshot): boolean {
  const set = (xs: string[]) => [...xs].sort().join(',');
  return (
    a.approvals === b.approvals &&
    a.selfApproval === b.selfApproval &&
    set(a.users) === set(b.users) &&
    set(a.groups) === set(b.groups)
  );
}

export type Reevaluation = {
  policy: PolicySnapshot;
  approvals: Promotion['approvals'];
  /** Who approved but no longer counts (not an approver now, or the requester once self-approval is off). */
  dropped: string[];
  state: PromotionState;
};

/**
 * An open request under the policy in force: only approvals its approvers gave count, and it is approved exactly
 * when they are enough. Null when nothing changes. `counts` says whether a user may approve under `policy`.
 */
export function reevaluate(
  p: Promotion,
  policy: PolicySnapshot,
  counts: (userId: string) => boolean,
): Reevaluation | null {
  const approvals = p.approvals.filter((a) => counts(a.userId) && (policy.selfApproval || a.userId !== p.requestedBy));
  if (samePolicy(p.policy, policy) && approvals.length === p.approvals.length) return null;
  const dropped = p.approvals.filter((a) => !approvals.includes(a)).map((a) => a.userId);
  return { policy, approvals, dropped, state: approvals.length >= policy.approvals ? 'approved' : 'pending_approval' };
}

/** `approvals 1 → 2, approvers anyone → <@U0DAVE>; <@U0BOB>'s approval no longer counts`, for card and history. */
export function describePolicyChange(before: PolicySnapshot, after: PolicySnapshot, dropped: string[]): string {
  const who = (s: PolicySnapshot) =>
    [...s.users.map((u) => `<@${u}>`), ...s.groups.map((g) => `<!subteam^${g}>`)].join(', ') || 'anyone';
  const changes = [
    before.approvals !== after.approvals ? `approvals ${before.approvals} → ${after.approvals}` : '',
    who(before) !== who(after) ? `approvers ${who(before)} → ${who(after)}` : '',
    before.selfApproval !== after.selfApproval
      ? `self-approval ${before.selfApproval ? 'on' : 'off'} → ${after.selfApproval ? 'on' : 'off'}`
      : '',
  ].filter(Boolean);
  const lost = dropped.map((u) => `<@${u}>`).join(', ');
  const counts =
    dropped.length === 0
      ? ''
      : dropped.length === 1
        ? `${lost}'s approval no longer counts`
        : `the approvals of ${lost} no longer count`;
  return [changes.join(', '), counts].filter(Boolean).join('; ');
}
