import type { RefusedClick } from './fault-ledger.js';
import { POLICY_APPROVERS } from './fault-people.js';
import type { FinalState } from './final-state.js';
import { type Invariant, zeroCount } from './invariant.js';

/**
 * Nobody's approval counted who may not give it: the requester (self-approval is off) or anyone not an approver;
 * neither in the store, nor in the audit trail, nor in what the bot answered their click.
 */
export function unauthorizedApprovals(
  state: FinalState,
  refused: readonly RefusedClick[],
  answerTo: (responseId: string) => string | undefined,
): Invariant {
  const evidence: string[] = [];
  const byId = new Map(state.promotions.map((p) => [p._id, p]));
  const mayApprove = (promotionId: string, userId: string) =>
    POLICY_APPROVERS.has(userId) && byId.get(promotionId)?.requestedBy !== userId;
  const seen = new Set<string>();
  for (const p of state.promotions) {
    for (const a of p.approvals) {
      if (mayApprove(p._id, a.userId)) continue;
      seen.add(`${p._id}|${a.userId}`);
      evidence.push(`${p._id}: approval by ${a.userId} stored (requested by ${p.requestedBy}, state ${p.state})`);
    }
  }
  for (const e of state.audit) {
    if (e.action !== 'promotion.approved' && e.action !== 'promotion.approval_added') continue;
    if (mayApprove(e.promotionId, e.actor) || seen.has(`${e.promotionId}|${e.actor}`)) continue;
    seen.add(`${e.promotionId}|${e.actor}`);
    evidence.push(`${e.promotionId}: audit ${e.action} by ${e.actor}`);
  }
  for (const click of refused) {
    const answer = answerTo(click.responseId) ?? '';
    if (!/^You approved/.test(answer) || seen.has(`${click.promotionId}|${click.userId}`)) continue;
    seen.add(`${click.promotionId}|${click.userId}`);
    evidence.push(`${click.promotionId}: ${click.kind} click by ${click.userId} answered "${answer.slice(0, 120)}"`);
  }
  return zeroCount('unauthorized approvals accepted', evidence, seen.size);
}
