import type { App, BlockButtonAction } from '@slack/bolt';
import type { Actor } from '../../actor.js';
import type { Logger } from '../../create-logger.js';
import { AppError } from '../../errors.js';
import { isStoreUnreachable, STORE_UNREACHABLE } from '../../mongo/store-unreachable.js';
import { label } from '../../promotions/approval-rules.js';
import type { Acted, PromotionService } from '../../promotions/promotion-service.js';
import { ACTIONS } from '../blocks/promotion-card.js';
import type { CardPublisher } from '../card-publisher.js';

type ActionDeps = { promotionService: PromotionService; cards: CardPublisher; logger: Logger };

const REJECT_VIEW = 'promotion.reject_reason';

/**
 * The card's buttons. Anyone in the channel can click: who may approve is decided by the service, server-side.
 * Refusals come back to the clicker only; the card itself is re-rendered from the stored request.
 */
export function registerCardActions(app: App, deps: ActionDeps): void {
  const act =
    (verb: 'approve' | 'cancel') =>
    async (args: { ack: () => Promise<void>; body: BlockButtonAction; respond: (m: object) => Promise<unknown> }) => {
      await args.ack();
      const id = args.body.actions[0]?.value ?? '';
      const logger = deps.logger.child({ promotionId: id, userId: args.body.user.id, action: verb });
      const answer = (text: string) => args.respond({ response_type: 'ephemeral', replace_original: false, text });
      let acted: Acted;
      try {
        await deps.cards.seen(id, { channelId: args.body.channel?.id, ts: args.body.message?.ts });
        acted = await deps.promotionService[verb](actorOf(args.body), id);
      } catch (err) {
        await answer(messageOf(err, logger));
        return;
      }
      await refresh(id);
      await answer(clickAnswer(verb, acted, args.body.user.id)).catch((err) =>
        logger.warn({ err }, 'click not answered'),
      );
    };
  // The click is recorded whatever happens to the card; a failed update is caught up by the next event.
  const refresh = (id: string) =>
    deps.cards.refresh(id).catch((err) => deps.logger.child({ promotionId: id }).warn({ err }, 'card not updated'));
  app.action<BlockButtonAction>(ACTIONS.approve, act('approve'));
  app.action<BlockButtonAction>(ACTIONS.cancel, act('cancel'));

  // Reject asks for an optional reason first.
  app.action<BlockButtonAction>(ACTIONS.reject, async ({ ack, body, client, respond }) => {
    await ack();
    // A finished request, or someone who may not reject, is told at once rather than after writing a reason.
    try {
      await deps.promotionService.mayReject(actorOf(body), body.actions[0]?.value ?? '');
    } catch (err) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messageOf(err, deps.logger) });
      return;
    }
    await client.views
      .open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: REJECT_VIEW,
          private_metadata: body.actions[0]?.value ?? '',
          title: { type: 'plain_text', text: 'Reject promotion' },
          submit: { type: 'plain_text', text: 'Reject' },
          close: { type: 'plain_text', text: 'Back' },
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              optional: true,
              label: { type: 'plain_text', text: 'Why? (shown on the card)' },
              element: { type: 'plain_text_input', action_id: 'reason', max_length: 500 },
            },
          ],
        },
      })
      .catch(async (err) => {
        deps.logger.warn({ err }, 'reject modal not opened');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'Slack did not open the reason form; click Reject again.',
        });
      });
  });
  app.view(REJECT_VIEW, async ({ ack, body, view, client }) => {
    const reason = view.state.values.reason?.reason?.value ?? '';
    try {
      await deps.promotionService.reject(actorOf(body), view.private_metadata, reason);
    } catch (err) {
      // Decided before the ack, so the refusal shows in the modal itself.
      await ack({ response_action: 'errors', errors: { reason: messageOf(err, deps.logger) } });
      return;
    }
    await ack();
    await refresh(view.private_metadata);
    // The form has closed: the clicker hears what happened where the card is.
    const place = await deps.cards.places.of(view.private_metadata);
    if (!place) return;
    await client.chat
      .postEphemeral({
        channel: place.channelId,
        user: body.user.id,
        text: 'You rejected this request; the card says so now.',
      })
      .catch((err) => deps.logger.warn({ err }, 'rejection not answered'));
  });
}

/** The clicker's own answer: what their click did to the request. */
function clickAnswer(verb: 'approve' | 'cancel', p: Acted, userId: string): string {
  if (p.unchanged) return p.unchanged;
  const what = p.kind === 'rollback' ? `rolling ${p.downstream} back` : `promoting ${p.upstream} to ${p.downstream}`;
  if (verb === 'cancel') return `You cancelled ${what}.`;
  if (!p.approvals.some((a) => a.userId === userId)) return `This request ${label(p.state)}.`;
  if (p.state === 'pending_approval') {
    return `You approved ${what}: ${p.approvals.length} of ${p.policy.approvals} approvals; it runs once it has them all.`;
  }
  return `You approved ${what}: it runs now, and the card follows it.`;
}

/** A user is a workspace and a user id together. */
function actorOf(body: { team: { id: string } | null; user: { id: string; team_id?: string } }): Actor {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

function messageOf(err: unknown, logger: Logger): string {
  if (err instanceof AppError) return err.message;
  if (isStoreUnreachable(err)) return STORE_UNREACHABLE;
  logger.error({ err }, 'card action failed');
  return 'Something went wrong on our side; try again in a moment.';
}
