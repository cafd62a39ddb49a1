/**
 * Where people see a request (in Slack, its card): the core's port for it, like `Platform` is for the platform.
 * `refresh` shows the request as it is stored now, so a late or repeated call never shows an older state.
 */
export type PromotionView = {
  refresh(promotionId: string): Promise<void>;
};
