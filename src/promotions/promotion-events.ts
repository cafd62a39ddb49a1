import type { PromotionState } from './promotion.js';

/** What happened to a request; the Slack card and the announcements subscribe to these. */
export type PromotionEventType =
  | 'requested'
  | 'approval_added'
  | 'approved'
  | 'policy_changed'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'superseded'
  | 'running'
  | 'succeeded'
  | 'failed';

export type PromotionEvent = {
  type: PromotionEventType;
  promotionId: string;
  teamId: string;
  kind: 'promotion' | 'rollback';
  downstream: string;
  state: PromotionState;
  /** The record's revision after the change: consumers ignore an event older than what they have shown. */
  rev: number;
  at: Date;
  /** Who caused it (Slack user id), when a person did. */
  by?: string;
  approvals?: { count: number; required: number };
  /** The downstream's new release, on success. */
  version?: number;
  reason?: string;
};

/** The port events leave through. One implementation queues them in BullMQ; tests may collect them. */
export type PromotionEvents = { publish(event: PromotionEvent): Promise<void> };
