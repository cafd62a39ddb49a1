import { ErrorCode } from '@slack/web-api';

/** The `error` of an `ok: false` answer from Slack's Web API (`not_in_channel`, …); undefined for anything else. */
export function slackErrorOf(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } } | null;
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}
