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
    const left = removed.pipelines.length ? `\n${code(removed.pipelines.join('\n\n'))}` : '';
    return inChannel(`<@${ctx.userId}> removed ${removed.upstream} ---> ${removed.downstream}.${left}`);
  },
});
