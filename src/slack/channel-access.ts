import type { WebClient } from '@slack/web-api';
import type { ChannelAccess } from '../releases/subscription-service.js';
import { slackErrorOf } from './slack-error-of.js';

/**
 * Can the bot post in this channel? A private channel it is not in is invisible to it (`channel_not_found`),
 * so both mean "invite me". An install from before `channels:read`/`groups:read` cannot look (`unknown`).
 */
export function channelAccess(client: WebClient): (channelId: string) => Promise<ChannelAccess> {
  return async (channelId) => {
    try {
      const { channel } = await client.conversations.info({ channel: channelId });
      if (channel?.is_archived) return 'archived';
      return channel?.is_private && !channel.is_member ? 'invite_needed' : 'ok';
    } catch (err) {
      const slackError = slackErrorOf(err);
      if (slackError === 'channel_not_found') return 'invite_needed';
      if (slackError === 'missing_scope') return 'unknown';
      throw err;
    }
  };
}
