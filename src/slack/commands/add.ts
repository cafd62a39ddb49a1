import { exactly } from './parse-args.js';
import { code, ephemeral, inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const add = defineVerb({
  name: 'add',
  usage: '/pipeline add UPSTREAM DOWNSTREAM',
  summary: 'make DOWNSTREAM the downstream of UPSTREAM',
  parse: (args, fail) => {
    const [upstream, downstream] = exactly(args, 2, fail);
    return { verb: 'add', upstream, downstream };
  },
  handle: async (deps, ctx, c) => {
    const upstream = await existingApp(deps, ctx, c.upstream);
    const downstream = await existingApp(deps, ctx, c.downstream);
    const change = await deps.pipelines.addLink(ctx, upstream, downstream);
    if (!change.changed) {
      return ephemeral(`${change.upstream} already promotes to ${change.downstream}.\n${code(change.pipeline)}`);
    }
    return inChannel(
      `<@${ctx.userId}> made ${change.downstream} the downstream of ${change.upstream}:\n${code(change.pipeline)}`,
    );
  },
});
