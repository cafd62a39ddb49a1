import { exactly } from './parse-args.js';
import { ephemeral, inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const use = defineVerb({
  name: 'use',
  usage: '/pipeline use APP',
  summary: "make APP this channel's default app",
  parse: (args, fail) => ({ verb: 'use', app: exactly(args, 1, fail)[0] }),
  handle: async (deps, ctx, c) => {
    const used = await deps.channels.useApp(ctx, ctx.channelId, await existingApp(deps, ctx, c.app));
    if (!used.changed) return ephemeral(`${used.app} is already this channel's default app.`);
    return inChannel(`<@${ctx.userId}> made ${used.app} this channel's default app: commands here may leave it out.`);
  },
});
