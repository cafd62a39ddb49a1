import type { Promotion } from './promotion.js';

/**
 * Where people see a request (in Slack, its card): the core's port for it, like `Platform` is for the platform.
 * `refresh` shows the request as it is stored now, so a late or repeated call never shows an older state.
 */
export type PromotionView = {
  refresh(promotionId: string): Promise<void>;
  /**
   * Shows again each of these requests whose card shows another revision than the one stored (an update lost to
   * a Redis outage, a crash, Slack refusing); returns how many it refreshed.
   */
  converge(requests: readonly Promotion[]): Promise<number>;
  /** Whether the request is shown yet (a release it made waits briefly for it, to link to it). */
  isShown(promotionId: string): Promise<boolean>;
};
