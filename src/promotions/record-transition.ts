import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import type { Promotion } from './promotion.js';
import type { PromotionEvent, PromotionEvents, PromotionEventType } from './promotion-events.js';
import type { PromotionsStore, RevisionMarker } from './promotions-store.js';

export type TransitionDeps = {
  promotions: PromotionsStore;
  audit: AuditStore;
  events: PromotionEvents;
  now: () => Date;
  logger: Logger;
};

export type TransitionNote = { type: PromotionEventType; by?: string; reason?: string; version?: number };

/**
 * Moves a request from the revision `from` to the next one: claim the revision (exactly one contender wins),
 * then finish it. Returns null when someone else changed the request first; the caller re-reads and answers
 * with what is there now.
 */
export async function recordTransition(
  deps: TransitionDeps,
  from: Promotion,
  patch: Partial<Promotion>,
  note: TransitionNote,
): Promise<Promotion | null> {
  const current = await deps.promotions.getById(from.id);
  if (!current || current.rev !== from.rev || current.state !== from.state) return null;
  const rev = from.rev + 1;
  const marker: RevisionMarker = {
    _id: `${from.id}:${rev}`,
    promotionId: from.id,
    rev,
    patch: { ...patch, updatedAt: deps.now() },
    note,
    at: deps.now(),
  };
  if (await deps.promotions.claim(marker)) return finishRevision(deps, marker);
  // Lost: make sure the winner's change is complete (it may have died half-way), then report the race.
  const theirs = await deps.promotions.marker(from.id, rev);
  if (theirs) await finishRevision(deps, theirs);
  return null;
}

/** How often a change is decided again on a fresh read after losing a race; each loss means someone else acted. */
export const RACE_RETRIES = 5;

/**
 * Applies a change the system decides on (supersede, end, re-evaluate) to a request as it stands: after a lost
 * race it reads the request again and decides again, so a click at the same moment cannot make it skip one.
 * `decide` returns null when the change no longer applies; the result is null then, or the request after it.
 */
export async function transitionAsItStands(
  deps: TransitionDeps,
  p: Promotion,
  decide: (current: Promotion) => Promise<{ patch: Partial<Promotion>; note: TransitionNote } | null>,
): Promise<Promotion | null> {
  let current: Promotion | null = p;
  for (let attempt = 0; current && attempt <= RACE_RETRIES; attempt++) {
    const change = await decide(current);
    if (!change) return null;
    const moved = await recordTransition(deps, current, change.patch, change.note);
    if (moved) return moved;
    current = await deps.promotions.getById(p.id);
  }
  return null;
}

/**
 * Completes a claimed revision, in an order that a retry can repeat safely: its audit event (keyed by the
 * revision, so written once), the change itself (only onto the revision before), then its event (de-duplicated
 * by revision downstream).
 */
export async function finishRevision(deps: TransitionDeps, marker: RevisionMarker): Promise<Promotion | null> {
  const before = await deps.promotions.getById(marker.promotionId);
  if (!before) return null;
  const { note } = marker;
  await deps.audit.append({
    key: marker._id,
    teamId: before.teamId,
    at: marker.at,
    actor: note.by ?? 'system',
    action: `promotion.${note.type}`,
    app: before.downstream,
    apps: [...new Set([before.downstream, before.upstream])],
    promotionId: before.id,
    // Enough for the history to say it in words later: what was promoted, from where, into which release.
    details: {
      state: marker.patch.state,
      rev: marker.rev,
      ...subjectOf(before),
      ...(marker.patch.result ? { version: marker.patch.result.version } : {}),
      ...(note.reason ? { reason: note.reason } : {}),
      ...(note.version ? { version: note.version } : {}),
    },
  });
  await deps.promotions.apply(marker);
  const after = await deps.promotions.getById(marker.promotionId);
  if (after && after.rev === marker.rev) await publish(deps, eventOf(after, note, marker.at));
  return after;
}

/** What a request's audit events carry so the history can say it in words: what was promoted, from where. */
export function subjectOf(p: Promotion) {
  return {
    kind: p.kind,
    upstream: p.upstream,
    sourceVersion: p.source.version,
    ...(p.source.commit ? { sourceCommit: p.source.commit.slice(0, 7) } : {}),
  };
}

/**
 * The reconciler's part: finish any revision that was claimed by `claimedBefore` but never applied (its writer
 * died in between). A younger claim is its live writer's to finish.
 */
export async function finishClaimedRevisions(
  deps: TransitionDeps,
  requests: Promotion[],
  claimedBefore: Date,
): Promise<number> {
  let finished = 0;
  for (const p of requests) {
    const marker = await deps.promotions.marker(p.id, p.rev + 1);
    if (!marker || marker.at > claimedBefore) continue;
    await finishRevision(deps, marker);
    finished++;
  }
  return finished;
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
