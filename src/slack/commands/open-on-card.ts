import { RefusedError } from '../../errors.js';
import type { Promotion } from '../../promotions/promotion.js';
import type { OpenedPromotion } from '../../promotions/promotion-service.js';
import { plural } from '../plural.js';
import { slackErrorOf } from '../slack-error-of.js';
import type { CommandContext, CommandDeps } from './command-deps.js';
import { ephemeral, type Reply } from './reply.js';

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
  open: (hold: { hold: true }) => Promise<OpenedPromotion>,
): Promise<OpenedPromotion> {
  const access = await deps.channelAccess(ctx.channelId);
  if (access === 'invite_needed') throw new RefusedError(CANNOT_POST);
  if (access === 'archived') throw new RefusedError('This channel is archived: run the command in one people read.');
  const p = await open({ hold: true });
  // The same change is already requested: its card is where people act on it, so no second one.
  if (p.alreadyOpen) return p;
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

/** The answer to a repeat: the request already open for this change, and a link to its card. */
export async function alreadyOpen(deps: CommandDeps, p: Promotion): Promise<Reply> {
  const sha = p.source.commit ? ` (${p.source.commit.slice(0, 7)})` : '';
  const what =
    p.kind === 'rollback'
      ? `Rolling back ${p.downstream} to v${p.source.version}${sha}`
      : `Promoting ${p.upstream} v${p.source.version}${sha} to ${p.downstream}`;
  const link = await deps.cards.permalink(p.id);
  const where = link ? `<${link}|see its card>` : 'its card is on its way';
  if (p.state !== 'pending_approval') return ephemeral(`${what} is already under way: ${where}.`);
  const left = plural(p.policy.approvals - p.approvals.length, 'more approval');
  return ephemeral(`${what} is already requested by <@${p.requestedBy}> and waits for ${left}: ${where}.`);
}
