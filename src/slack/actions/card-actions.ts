import type { App, BlockButtonAction } from '@slack/bolt';
import type { Actor } from '../../actor.js';
import type { Logger } from '../../create-logger.js';
import { AppError } from '../../errors.js';
import type { PromotionService } from '../../promotions/promotion-service.js';
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
      try {
        await deps.promotionService[verb](actorOf(args.body), id);
      } catch (err) {
        await args.respond({ response_type: 'ephemeral', replace_original: false, text: messageOf(err, logger) });
        return;
      }
      await refresh(id);
    };
  // The click is recorded whatever happens to the card; a failed update is caught up by the next event.
  const refresh = (id: string) =>
    deps.cards.refresh(id).catch((err) => deps.logger.child({ promotionId: id }).warn({ err }, 'card not updated'));
  app.action<BlockButtonAction>(ACTIONS.approve, act('approve'));
  app.action<BlockButtonAction>(ACTIONS.cancel, act('cancel'));

  // Reject asks for an optional reason first.
  app.action<BlockButtonAction>(ACTIONS.reject, async ({ ack, body, client, respond }) => {
    await ack();
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
  app.view(REJECT_VIEW, async ({ ack, body, view }) => {
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
  });
}

/** A user is a workspace and a user id together. */
function actorOf(body: { team: { id: string } | null; user: { id: string; team_id?: string } }): Actor {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

function messageOf(err: unknown, logger: Logger): string {
  if (err instanceof AppError) return err.message;
  logger.error({ err }, 'card action failed');
  return 'Something went wrong on our side; try again in a moment.';
}
