import type { FinalState } from './final-state.js';

const ENDS = new Set(['promotion.succeeded', 'promotion.failed', 'promotion.superseded', 'promotion.cancelled']);

/**
 * The most requests the audit trail shows running into one app at once: each request runs from its `running`
 * event to its end event (or to now). Exact where the 200 ms samples can miss a short overlap.
 */
export function runningOverlap(state: FinalState) {
  const downstreamOf = new Map(state.promotions.map((p) => [p._id, p.downstream]));
  const spans = new Map<string, { id: string; from: number; to: number }[]>();
  const byRequest = new Map<string, FinalState['audit']>();
  for (const e of state.audit) byRequest.set(e.promotionId, [...(byRequest.get(e.promotionId) ?? []), e]);
  for (const [id, events] of byRequest) {
    const from = events.find((e) => e.action === 'promotion.running')?.at.getTime();
    const downstream = downstreamOf.get(id);
    if (from === undefined || !downstream) continue;
    const to = events.find((e) => ENDS.has(e.action) && e.at.getTime() >= from)?.at.getTime() ?? Date.now();
    spans.set(downstream, [...(spans.get(downstream) ?? []), { id, from, to }]);
  }
  let max = 0;
  let worst: { downstream: string; ids: string[]; from: number; to: number } | undefined;
  for (const [downstream, list] of spans) {
    for (const span of list) {
      const at = list.filter((other) => other.from <= span.from && span.from < other.to);
      if (at.length > max) {
        max = at.length;
        const to = Math.min(...at.map((s) => s.to));
        worst = { downstream, ids: at.map((s) => s.id), from: span.from, to };
      }
    }
  }
  return { max, worst };
}
