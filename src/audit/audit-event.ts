import type { Actor } from '../actor.js';
import type { PromotionEventType } from '../promotions/promotion-events.js';

/** Everything the program records. Promotion and release actions join this union as they are built. */
export type AuditAction =
  | 'pipeline.link_added'
  | 'pipeline.link_removed'
  | 'channel.default_app_set'
  | 'app.locked'
  | 'app.unlocked'
  | 'app.lock_lapsed'
  | 'app.policy_set'
  | 'app.repo_set'
  | 'subscription.added'
  | 'subscription.removed'
  | 'subscription.disabled'
  | 'announcement.dropped'
  | `promotion.${PromotionEventType}`;

export type AuditEvent = {
  teamId: string;
  at: Date;
  /** Slack user id of who did it (`system` for the program's own jobs). */
  actor: string;
  action: AuditAction;
  /** The app the action was done to. */
  app: string;
  /** Every app the event concerns (a link concerns both ends), so each one's history shows it. */
  apps: string[];
  promotionId?: string;
  details: Record<string, unknown>;
  /**
   * Makes an append idempotent: a second append with the same key is a no-op. Promotion transitions use their
   * revision's id, so whoever completes a transition (its writer, or a process finishing it after a crash)
   * writes its one event.
   */
  key?: string;
};

export type StoredAuditEvent = AuditEvent & { id: string };

/** What a person did to an app (and, for a link, to `apps` both ends), as the audit log records it. */
export function auditOf(
  actor: Actor,
  at: Date,
  action: AuditAction,
  app: string,
  details: Record<string, unknown> = {},
  apps: string[] = [app],
): AuditEvent {
  return { teamId: actor.teamId, at, actor: actor.userId, action, app, apps, details };
}
