import { type ChatPostMessageArguments, ErrorCode, type WebClient } from '@slack/web-api';
import type { AnnouncementSender, SendResult } from '../announcements/send-next-announcement.js';
import { announcementDetails, announcementLine } from './blocks/announcement-message.js';

/** Slack's answers that mean the channel will not take our messages again until someone acts. */
const CHANNEL_GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
]);
/**
 * Answers about Slack or our install, not this message: tried again later (by the queue), never dropped, so a
 * revoked token loses nothing once the app is reinstalled.
 */
const RETRY_LATER = new Set([
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
  'missing_scope',
]);

/**
 * Announcements through the Web API. `client` must reject rate-limited calls (`rejectRateLimitedCalls`) rather
 * than sleep in them: the queue waits out Retry-After for that channel alone, and the client stays free.
 */
export function createAnnouncementSender(client: WebClient): AnnouncementSender {
  async function send(message: ChatPostMessageArguments): Promise<SendResult> {
    let ts: string | undefined;
    try {
      ts = (await client.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false })).ts;
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
      if (e.code === ErrorCode.RateLimitedError) {
        const seconds = Number.isFinite(e.retryAfter) ? Number(e.retryAfter) : 1;
        return { kind: 'rate_limited', retryAfterMs: Math.max(seconds, 1) * 1_000 };
      }
      // Transport and HTTP errors (and Slack's own troubles) are thrown, for the queue to retry with backoff.
      const slackError = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
      if (!slackError || RETRY_LATER.has(slackError)) throw err;
      return CHANNEL_GONE.has(slackError)
        ? { kind: 'channel_gone', reason: slackError }
        : { kind: 'rejected', reason: slackError };
    }
    return { kind: 'sent', ts: ts ?? '' };
  }

  async function permalink(card: { channelId: string; ts: string } | undefined): Promise<string | null> {
    if (!card) return null;
    try {
      return (await client.chat.getPermalink({ channel: card.channelId, message_ts: card.ts })).permalink ?? null;
    } catch {
      // The line still says what happened; only the link to the card is missing.
      return null;
    }
  }

  return {
    postLine: async (a, context) =>
      send({ channel: a.channelId, text: announcementLine(a, context, await permalink(context.promotion?.card)) }),
    postDetails: (a, threadTs, context) =>
      send({ channel: a.channelId, thread_ts: threadTs, text: announcementDetails(a, context) }),
  };
}
