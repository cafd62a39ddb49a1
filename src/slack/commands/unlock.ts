import { exactly } from './parse-args.js';
import { inChannel } from './reply.js';
import { defineVerb } from './verb.js';

export const unlock = defineVerb({
  name: 'unlock',
  usage: '/pipeline unlock APP',
  summary: 'allow promotions into APP again',
  parse: (args, fail) => ({ verb: 'unlock', app: exactly(args, 1, fail)[0] }),
  handle: async (deps, ctx, c) => {
    const { app: unlocked } = await deps.appSettings.unlock(ctx, c.app);
    return inChannel(`:unlock: <@${ctx.userId}> unlocked ${unlocked}.`);
  },
});
