import { RefusedError } from '../../errors.js';
import type { Promotion } from '../../promotions/promotion.js';
import { slackErrorOf } from '../slack-error-of.js';
import type { CommandContext, CommandDeps } from './command-deps.js';

export const CANNOT_POST =
  'I cannot post in this channel: invite me first (`/invite @pipeline`), then run the command again.';
/** Slack's answers that mean the bot may not post in that channel. */
const CANNOT_POST_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * Opens a request where people can see it: first asks whether the bot may post here (before anything is
 * written), then posts the card, and only then lets a request that needs no approval run. A card that cannot be
 * posted withdraws its request, audited, so nothing runs, or waits in App Home, that nobody can see.
 */
export async function openOnCard(
  deps: CommandDeps,
  ctx: CommandContext,
  open: (hold: { hold: true }) => Promise<Promotion>,
): Promise<Promotion> {
  const access = await deps.channelAccess(ctx.channelId);
  if (access === 'invite_needed') throw new RefusedError(CANNOT_POST);
  if (access === 'archived') throw new RefusedError('This channel is archived: run the command in one people read.');
  const p = await open({ hold: true });
  try {
    await deps.cards.post(p, ctx.channelId);
  } catch (err) {
    const slackError = slackErrorOf(err);
    const why = `its card could not be posted in <#${ctx.channelId}> (${slackError ?? 'Slack did not answer'})`;
    await deps.promotionService.withdrawUnshown(p, why);
    if (slackError && CANNOT_POST_ERRORS.has(slackError)) throw new RefusedError(CANNOT_POST);
    throw err;
  }
  await deps.promotionService.shown(p);
  return p;
}
