/**
 * Where people see a request (in Slack, its card): the core's port for it, like `Platform` is for the platform.
 * `refresh` shows the request as it is stored now, so a late or repeated call never shows an older state.
 */
export type PromotionView = {
  refresh(promotionId: string): Promise<void>;
  /** Whether the request is shown yet (a release it made waits briefly for it, to link to it). */
  isShown(promotionId: string): Promise<boolean>;
};
