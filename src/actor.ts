/** Who asks: a Slack user is only unique within a workspace, so identity is always the pair. */
export type Actor = { teamId: string; userId: string };
