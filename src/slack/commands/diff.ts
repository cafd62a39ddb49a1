import { NothingToPromoteError } from '../../promotions/build-request.js';
import { alreadyOpen, openOnCard } from './open-on-card.js';
import { optional } from './parse-args.js';
import { ephemeral } from './reply.js';
import { appOf, defineVerb } from './verb.js';

export const diff = defineVerb({
  name: 'diff',
  usage: '/pipeline diff [UPSTREAM]',
  summary: 'compare with its downstream and post the promotion card',
  parse: (args, fail): { verb: 'diff'; app?: string } => ({ verb: 'diff', app: optional(args, 1, fail) }),
  handle: async (deps, ctx, c) => {
    const upstream = await appOf(deps, ctx, c.app);
    try {
      const p = await openOnCard(deps, ctx, (hold) =>
        deps.promotionService.requestPromotion(ctx, {
          upstream,
          requestKey: `diff:${ctx.triggerId}`,
          confirm: true,
          ...hold,
        }),
      );
      if (p.alreadyOpen) return alreadyOpen(deps, p);
      return ephemeral(`Comparing ${p.upstream} to ${p.downstream}...done: the card is in this channel.`);
    } catch (err) {
      if (!(err instanceof NothingToPromoteError)) throw err;
      return ephemeral(`Comparing ${err.upstream} to ${err.downstream}...done, everything is up to date`);
    }
  },
});
