import type { FinalState } from './final-state.js';
import type { Invariant } from './invariant.js';

/**
 * Exactly one audit event per stored transition: a request at revision R has the events keyed `<id>:0` (its
 * request) through `<id>:R`, each once, and none beyond R (a transition claimed but never applied).
 */
export function auditPerTransition(state: FinalState): Invariant {
  const evidence: string[] = [];
  const keys = new Map<string, number>();
  const byRequest = new Map<string, FinalState['audit']>();
  for (const e of state.audit) {
    keys.set(e.key, (keys.get(e.key) ?? 0) + 1);
    byRequest.set(e.promotionId, [...(byRequest.get(e.promotionId) ?? []), e]);
  }
  let transitions = 0;
  let off = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const p of state.promotions) {
    for (let rev = 0; rev <= p.rev; rev++) {
      transitions++;
      const n = keys.get(`${p._id}:${rev}`) ?? 0;
      min = Math.min(min, n);
      max = Math.max(max, n);
      if (n !== 1) {
        off++;
        evidence.push(`${p._id} rev ${rev} (now ${p.state}): ${n} audit events`);
      }
    }
    const beyond = (byRequest.get(p._id) ?? []).filter((e) => revOf(e.key) > p.rev);
    for (const e of beyond) {
      off++;
      max = Math.max(max, 2);
      evidence.push(`${p._id}: audit ${e.action} (${e.key}) for a revision never stored (stored rev ${p.rev})`);
    }
  }
  const value = off === 0 ? '1' : `${min === max ? min : `${min}-${max}`} (${off} of ${transitions} transitions off)`;
  return { name: 'audit events per transition', value, ok: off === 0 && transitions > 0, evidence };
}

function revOf(key: string): number {
  return Number(key.slice(key.lastIndexOf(':') + 1));
}
