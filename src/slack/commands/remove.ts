import { plural } from '../plural.js';
import { exactly } from './parse-args.js';
import { code, inChannel } from './reply.js';
import { defineVerb } from './verb.js';

export const remove = defineVerb({
  name: 'remove',
  usage: '/pipeline remove UPSTREAM',
  summary: "drop UPSTREAM's downstream link",
  parse: (args, fail) => ({ verb: 'remove', upstream: exactly(args, 1, fail)[0] }),
  handle: async (deps, ctx, c) => {
    const removed = await deps.pipelines.removeLink(ctx, c.upstream);
    const ended = await deps.promotionService.endAcrossLink(ctx, removed.upstream, removed.downstream);
    // The cards say so at once; the worker's event would too, a moment later.
    await Promise.allSettled(ended.map((p) => deps.cards.refresh(p.id)));
    const left = removed.pipelines.length ? `\n${code(removed.pipelines.join('\n\n'))}` : '';
    const cancelled = ended.length ? ` ${plural(ended.length, 'open request')} across it ended.` : '';
    return inChannel(`<@${ctx.userId}> removed ${removed.upstream} ---> ${removed.downstream}.${cancelled}${left}`);
  },
});
