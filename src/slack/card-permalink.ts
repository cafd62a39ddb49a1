import type { WebClient } from '@slack/web-api';
import type { CardPlaces } from './card-places.js';

/** A link to a request's card, or null when it has none yet or Slack will not say (callers word it without). */
export async function cardPermalink(
  client: WebClient,
  places: Pick<CardPlaces, 'of'>,
  promotionId: string,
): Promise<string | null> {
  const card = await places.of(promotionId);
  if (!card) return null;
  try {
    return (await client.chat.getPermalink({ channel: card.channelId, message_ts: card.ts })).permalink ?? null;
  } catch {
    return null;
  }
}
