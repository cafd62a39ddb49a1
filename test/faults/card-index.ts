import type { SlackCall, SlackFake } from '../support/slack-fake.js';

/** Where a card is in Slack. */
export type CardPlace = { channelId: string; ts: string };
type Block = { type?: string; text?: { text?: string }; elements?: { action_id?: string; value?: string }[] };

/**
 * Reads the fake Slack's record of calls as they come, once each: which request's card was posted where (its
 * Approve button carries the request id), and the last message Slack shows at each place (the last
 * chat.postMessage or chat.update that Slack accepted there, in the order they arrived).
 */
export function createCardIndex(slack: SlackFake) {
  let read = 0;
  const places = new Map<string, CardPlace>();
  const last = new Map<string, SlackCall>();
  const posted = new Map<string, number>();
  const placeKey = (p: CardPlace) => `${p.channelId}|${p.ts}`;

  const catchUp = () => {
    for (; read < slack.calls.length; read++) {
      const call = slack.calls[read] as SlackCall;
      if (call.failed || !call.answer) continue;
      if (call.method === 'chat.postMessage' && typeof call.answer.ts === 'string') {
        const place = { channelId: String(call.params.channel), ts: call.answer.ts };
        last.set(placeKey(place), call);
        const id = approveValue(call.params.blocks);
        if (id) {
          places.set(id, place);
          posted.set(id, (posted.get(id) ?? 0) + 1);
        }
      } else if (call.method === 'chat.update') {
        last.set(placeKey({ channelId: String(call.params.channel), ts: String(call.params.ts) }), call);
      }
    }
  };

  return {
    /** Where the card of `promotionId` was posted with its buttons, if it was. */
    placeOf: (promotionId: string) => {
      catchUp();
      return places.get(promotionId);
    },
    /** How many cards were posted for the request (one, or a repeated command made a second). */
    postedFor: (promotionId: string) => {
      catchUp();
      return posted.get(promotionId) ?? 0;
    },
    allPosted: () => {
      catchUp();
      return new Map(posted);
    },
    /** The blocks and text Slack shows at `place` now. */
    shownAt: (place: CardPlace) => {
      catchUp();
      const call = last.get(placeKey(place));
      return call ? { blocks: (call.params.blocks ?? []) as Block[], text: String(call.params.text ?? '') } : undefined;
    },
  };
}

export type CardIndex = ReturnType<typeof createCardIndex>;

function approveValue(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as Block[]) {
    const button = block.elements?.find((e) => e.action_id === 'promotion.approve');
    if (button?.value) return button.value;
  }
  return undefined;
}
