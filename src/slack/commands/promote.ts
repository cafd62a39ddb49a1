import { plural } from '../plural.js';
import { alreadyOpen, openOnCard } from './open-on-card.js';
import { optional } from './parse-args.js';
import { ephemeral } from './reply.js';
import { appOf, defineVerb } from './verb.js';

export const promote = defineVerb({
  name: 'promote',
  usage: '/pipeline promote [UPSTREAM]',
  summary: "promote UPSTREAM's current release to its downstream",
  parse: (args, fail): { verb: 'promote'; app?: string } => ({ verb: 'promote', app: optional(args, 1, fail) }),
  handle: async (deps, ctx, c) => {
    const upstream = await appOf(deps, ctx, c.app);
    const p = await openOnCard(deps, ctx, (hold) =>
      deps.promotionService.requestPromotion(ctx, { upstream, requestKey: `promote:${ctx.triggerId}`, ...hold }),
    );
    if (p.alreadyOpen) return alreadyOpen(deps, p);
    if (p.state !== 'pending_approval') {
      return ephemeral(`Promoting ${p.upstream} to ${p.downstream}: the card in this channel follows it.`);
    }
    const behind = p.diff?.behindBy ?? 0;
    const removes = behind
      ? ` ${p.downstream} has ${plural(behind, 'commit')} that ${p.upstream} lacks: promoting removes ${behind === 1 ? 'it' : 'them'}, so it waits for a click.`
      : '';
    return ephemeral(`Promotion requested: it needs ${plural(p.policy.approvals, 'approval')} on the card.${removes}`);
  },
});
