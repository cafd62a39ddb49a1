import type { ForgedDelivery } from './fault-ledger.js';
import { PEOPLE } from './fault-people.js';
import type { FinalState } from './final-state.js';
import { type Invariant, zeroCount } from './invariant.js';

/**
 * Every forged or stale request got 401, no answer, and changed nothing: the forger (who only ever appears in forged requests)
 * has no request, approval or audit event anywhere, and no request carries a forged trigger id.
 */
export function forgedRequests(
  state: FinalState,
  forged: readonly ForgedDelivery[],
  answered: (responseId: string) => boolean,
): Invariant {
  const evidence: string[] = [];
  for (const f of forged) {
    if (f.status !== 401) evidence.push(`${f.kind} ${f.what} (trigger ${f.triggerId}) answered HTTP ${f.status}`);
    if (answered(f.responseId)) evidence.push(`${f.kind} ${f.what} (trigger ${f.triggerId}) got an answer in Slack`);
    const stored = state.promotions.find((p) => p.requestKey.endsWith(f.triggerId));
    if (stored) evidence.push(`${f.kind} ${f.what} stored request ${stored._id}`);
  }
  for (const p of state.promotions) {
    if (p.requestedBy === PEOPLE.forger) evidence.push(`${p._id} requested by the forger`);
    if (p.approvals.some((a) => a.userId === PEOPLE.forger)) evidence.push(`${p._id} approved by the forger`);
  }
  for (const e of state.audit) {
    if (e.actor === PEOPLE.forger) evidence.push(`audit ${e.action} on ${e.promotionId} by the forger`);
  }
  const leftATrace = (f: ForgedDelivery) =>
    f.what === 'click'
      ? state.promotions.some((p) => p._id === f.promotionId && p.approvals.some((a) => a.userId === f.userId)) ||
        state.audit.some((e) => e.promotionId === f.promotionId && e.actor === f.userId)
      : state.promotions.some((p) => p.requestKey.endsWith(f.triggerId));
  const accepted = forged.filter((f) => f.status !== 401 || answered(f.responseId) || leftATrace(f)).length;
  // A trace with no delivery to blame still counts once: something forged got in.
  return zeroCount('forged requests accepted', evidence, Math.max(accepted, evidence.length ? 1 : 0));
}
