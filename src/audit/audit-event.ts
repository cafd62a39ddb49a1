import type { PromotionEventType } from '../promotions/promotion-events.js';

/** Everything the program records. Promotion and release actions join this union as they are built. */
export type AuditAction =
  | 'pipeline.link_added'
  | 'pipeline.link_removed'
  | 'channel.default_app_set'
  | 'app.locked'
  | 'app.unlocked'
  | 'app.policy_set'
  | 'app.repo_set'
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
};

export type StoredAuditEvent = AuditEvent & { id: string };
