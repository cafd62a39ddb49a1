import { isOpen, type Promotion, type PromotionState } from './promotion.js';

/**
 * The approval rules as plain decisions: given a request and who acts, what may happen. The service applies a
 * decision with a compare-and-set, so two people acting at once cannot both win the same transition.
 */
export type Decision =
  | { ok: true; state: PromotionState; approvals?: Promotion['approvals'] }
  | { ok: false; reason: string /** True when the actor's wish already holds (a double click). */; already?: boolean };

const refuse = (reason: string, already = false): Decision => ({ ok: false, reason, already });

export function decideApproval(p: Promotion, userId: string, allowed: boolean, now: Date): Decision {
  if (p.approvals.some((a) => a.userId === userId)) {
    return refuse(`You already approved this (${p.approvals.length} of ${p.policy.approvals}).`, true);
  }
  const notPending = stateRefusal(p, now, 'approve');
  if (notPending) return notPending;
  if (userId === p.requestedBy && !p.policy.selfApproval) {
    return refuse(
      `You requested this ${p.kind}, so someone else must approve it (self-approval is off for ${p.downstream}).`,
    );
  }
  if (!allowed) return refuse(`You are not one of the approvers for ${p.downstream}.`);
  const approvals = [...p.approvals, { userId, at: now }];
  return { ok: true, state: approvals.length >= p.policy.approvals ? 'approved' : 'pending_approval', approvals };
}

export function decideRejection(p: Promotion, userId: string, allowed: boolean, now: Date): Decision {
  if (p.state === 'rejected' && p.rejection?.by === userId) return refuse('You already rejected this.', true);
  const notPending = stateRefusal(p, now, 'reject');
  if (notPending) return notPending;
  if (!allowed) return refuse(`You are not one of the approvers for ${p.downstream}, so you cannot reject it.`);
  return { ok: true, state: 'rejected' };
}

/** The requester may cancel until the work starts. */
export function decideCancel(p: Promotion, userId: string): Decision {
  if (p.state === 'cancelled') return refuse('This request is already cancelled.', true);
  // A finished request is finished for everyone: who may cancel matters only while it can be.
  if (!isOpen(p.state)) return refuse(`This request ${label(p.state)}; it can no longer be cancelled.`);
  if (userId !== p.requestedBy) return refuse(`Only <@${p.requestedBy}>, who asked for it, can cancel this request.`);
  return { ok: true, state: 'cancelled' };
}

function stateRefusal(p: Promotion, now: Date, verb: string): Decision | undefined {
  if (p.state !== 'pending_approval') return refuse(`This request ${label(p.state)}; there is nothing to ${verb}.`);
  if (p.expiresAt <= now) return refuse(`This request expired at ${p.expiresAt.toISOString()}; ask for a new one.`);
  return undefined;
}

/** What a request's state means, as the rest of a sentence that starts "This request …". */
const STATE_PHRASES: Record<PromotionState, string> = {
  pending_approval: 'is waiting for approval',
  approved: 'is approved and about to run',
  running: 'is running',
  succeeded: 'is already done',
  failed: 'already ran and failed',
  rejected: 'was rejected',
  cancelled: 'was cancelled',
  expired: 'has expired',
  superseded: 'was superseded',
};

export function label(state: PromotionState): string {
  return STATE_PHRASES[state];
}
