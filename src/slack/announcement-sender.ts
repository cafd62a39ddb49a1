import { type ChatPostMessageArguments, ErrorCode, type WebClient } from '@slack/web-api';
import type { AnnouncementSender, SendResult } from '../releases/send-next-announcement.js';
import { announcementDetails, announcementLine } from './blocks/announcement-message.js';
import { cardPermalink } from './card-permalink.js';
import type { CardPlaces } from './card-places.js';
import { slackErrorOf } from './slack-error-of.js';

/** Slack's answers that mean the channel will not take our messages again until someone acts. */
const CHANNEL_GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
]);
/** Answers about this message itself: sending it again cannot help. */
const MESSAGE_REFUSED = new Set([
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'too_many_attachments',
  'invalid_arguments',
  'thread_not_found',
  'cannot_reply_to_message',
]);
/** Answers about our install or the workspace: every channel of it waits until someone fixes it. */
const INSTALL_BROKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
  'missing_scope',
  'no_permission',
  'access_denied',
  'ekm_access_denied',
  'org_login_required',
  'enterprise_is_restricted',
  'team_added_to_org',
  'message_limit_exceeded',
]);
/** Slack's own troubles: retried by the queue with backoff, like HTTP and network errors. */
const SLACK_TROUBLE = new Set([
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/**
 * Announcements through the Web API. `client` must reject rate-limited calls (`rejectRateLimitedCalls`) rather
 * than sleep in them: the queue waits out Retry-After for that channel alone, and the client stays free.
 */
export function createAnnouncementSender(client: WebClient, places: Pick<CardPlaces, 'of'>): AnnouncementSender {
  async function send(message: ChatPostMessageArguments): Promise<SendResult> {
    let ts: string | undefined;
    try {
      ts = (await client.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false })).ts;
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      if (e.code === ErrorCode.RateLimitedError) {
        const seconds = Number.isFinite(e.retryAfter) ? Number(e.retryAfter) : 1;
        return { kind: 'rate_limited', retryAfterMs: Math.max(seconds, 1) * 1_000 };
      }
      // Transport and HTTP errors (and Slack's own troubles) are thrown, for the queue to retry with backoff.
      const slackError = slackErrorOf(err);
      if (!slackError || SLACK_TROUBLE.has(slackError)) throw err;
      return { kind: kindOf(slackError), reason: slackError };
    }
    return { kind: 'sent', ts: ts ?? '' };
  }

  function kindOf(slackError: string): 'channel_gone' | 'rejected' | 'install_broken' | 'refused' {
    if (CHANNEL_GONE.has(slackError)) return 'channel_gone';
    if (MESSAGE_REFUSED.has(slackError)) return 'rejected';
    return INSTALL_BROKEN.has(slackError) ? 'install_broken' : 'refused';
  }

  // Without the link the line still says what happened.
  const permalink = async (promotionId: string | undefined) =>
    promotionId === undefined ? null : cardPermalink(client, places, promotionId);

  return {
    postLine: async (a, context) =>
      send({ channel: a.channelId, text: announcementLine(a, context, await permalink(context.promotion?.id)) }),
    postDetails: (a, threadTs, context) =>
      send({ channel: a.channelId, thread_ts: threadTs, text: announcementDetails(a, context) }),
  };
}
