import type { FinalState, StoredPromotion } from './final-state.js';
import { type Invariant, zeroCount } from './invariant.js';
import { releaseFacts } from './release-facts.js';

/** An approved request ended as it should: succeeded with its release, failed with a reason, or superseded by a real move. */
export function lostApprovals(state: FinalState, approvedByClick: ReadonlySet<string>): Invariant {
  const evidence: string[] = [];
  const audited = new Set(state.audit.filter((e) => e.action === 'promotion.approved').map((e) => e.promotionId));
  const byId = new Map(state.promotions.map((p) => [p._id, p]));
  for (const id of approvedByClick) {
    if (!byId.has(id)) evidence.push(`${id}: an approver's click was accepted, but the request is gone`);
  }
  for (const p of state.promotions) {
    const approved =
      approvedByClick.has(p._id) ||
      audited.has(p._id) ||
      (p.policy.approvals > 0 && p.approvals.length >= p.policy.approvals);
    if (!approved) continue;
    const wrong = wrongEnd(state, p);
    if (wrong) evidence.push(`${p._id} (${p.upstream} → ${p.downstream}): ${wrong}`);
  }
  return zeroCount('lost approvals', evidence);
}

/** Why an approved request's end is not a legitimate one; undefined when it is. */
export function wrongEnd(state: FinalState, p: StoredPromotion): string | undefined {
  const { own, movedBy } = releaseFacts(state, p);
  const made = own.length > 0 ? `, yet its release v${own.map((r) => r.version).join(', v')} was made` : '';
  switch (p.state) {
    case 'succeeded': {
      const id = p.result?.releaseId;
      const onPlatform = (state.releases.get(p.downstream) ?? []).some((r) => r.id === id);
      return onPlatform ? undefined : `succeeded with release ${id ?? '(none)'}, which the platform does not have`;
    }
    case 'failed':
      if (!p.error) return `failed without a reason${made}`;
      return made ? `failed ("${p.error.slice(0, 120)}")${made}` : undefined;
    case 'superseded':
      if (made) return `superseded ("${(p.error ?? '').slice(0, 120)}")${made}`;
      return movedBy
        ? undefined
        : `superseded ("${(p.error ?? '').slice(0, 120)}"), but ${p.downstream} never moved for another reason`;
    default:
      return `still ${p.state} (rev ${p.rev}, updated ${p.updatedAt.toISOString()})${made}`;
  }
}
