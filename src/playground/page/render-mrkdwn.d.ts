/** What mentions and channels resolve against; `now` decides "today" and `{ago}`. */
export type RenderContext = {
  users?: Map<string, string> | Record<string, string>;
  channels?: Map<string, string> | Record<string, string>;
  /** Group id → handle, for `<!subteam^S123>` without a label. */
  groups?: Map<string, string> | Record<string, string>;
  now?: Date;
  /** Input block id → error text, for modals. */
  errors?: Record<string, string>;
};

export function renderMrkdwn(text: string, ctx?: RenderContext): string;
export function escapeHtml(text: unknown): string;
export function decodeSlack(text: unknown): string;
export function emojify(html: string): string;
export function formatDate(name: string, at: Date, now: Date): string | undefined;
