import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import type { Promotion } from './promotion.js';
import type { PromotionEvent, PromotionEvents, PromotionEventType } from './promotion-events.js';
import type { PromotionsStore } from './promotions-store.js';

export type TransitionDeps = {
  promotions: PromotionsStore;
  audit: AuditStore;
  events: PromotionEvents;
  now: () => Date;
  logger: Logger;
};

export type TransitionNote = { type: PromotionEventType; by?: string; reason?: string; version?: number };

/**
 * Moves a request by compare-and-set, then writes its one audit event and publishes its event. Returns null when
 * another actor changed the request first: the caller re-reads and answers with what is there now.
 */
export async function recordTransition(
  deps: TransitionDeps,
  from: Promotion,
  patch: Partial<Promotion>,
  note: TransitionNote,
): Promise<Promotion | null> {
  const at = deps.now();
  const updated = await deps.promotions.transition(from, { ...patch, updatedAt: at });
  if (!updated) return null;
  await deps.audit.append({
    teamId: updated.teamId,
    at,
    actor: note.by ?? 'system',
    action: `promotion.${note.type}`,
    app: updated.downstream,
    apps: [...new Set([updated.downstream, updated.upstream])],
    promotionId: updated.id,
    details: {
      state: updated.state,
      rev: updated.rev,
      ...(note.reason ? { reason: note.reason } : {}),
      ...(note.version ? { version: note.version } : {}),
    },
  });
  await publish(deps, eventOf(updated, note, at));
  return updated;
}

/**
 * The transition is stored and audited whatever happens here: an event that cannot be queued (Redis down) is
 * logged, and the card catches up with the request's next event.
 */
export async function publish(deps: Pick<TransitionDeps, 'events' | 'logger'>, event: PromotionEvent): Promise<void> {
  try {
    await deps.events.publish(event);
  } catch (err) {
    deps.logger.error({ err, promotionId: event.promotionId, type: event.type }, 'promotion event not published');
  }
}

export function eventOf(p: Promotion, note: TransitionNote, at: Date): PromotionEvent {
  return {
    type: note.type,
    promotionId: p.id,
    teamId: p.teamId,
    kind: p.kind,
    downstream: p.downstream,
    state: p.state,
    rev: p.rev,
    at,
    by: note.by,
    approvals: { count: p.approvals.length, required: p.policy.approvals },
    version: note.version,
    reason: note.reason,
  };
}
