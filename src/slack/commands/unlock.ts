import { RefusedError } from '../../errors.js';
import { parseAppName } from '../../pipelines/app-name.js';
import { reasonOf } from '../blocks/lock-line.js';
import { shortAgo } from '../short-ago.js';
import { exactly } from './parse-args.js';
import { inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const unlock = defineVerb({
  name: 'unlock',
  usage: '/pipeline unlock APP',
  summary: 'allow promotions into APP again',
  parse: (args, fail) => ({ verb: 'unlock', app: exactly(args, 1, fail)[0] }),
  handle: async (deps, ctx, c) => {
    const app = parseAppName(c.app);
    // A lock is lifted even if the platform lost the app; only "nothing to unlock" asks whether the name is real.
    const { app: unlocked, was } = await deps.appSettings.unlock(ctx, app).catch(async (err: unknown) => {
      if (err instanceof RefusedError) await existingApp(deps, ctx, app);
      throw err;
    });
    const taken = shortAgo(was.at, deps.now());
    // Someone else's lock: the mention tells its holder, and everyone reads what was lifted.
    if (was.by !== ctx.userId) {
      return inChannel(
        `:unlock: <@${ctx.userId}> unlocked ${unlocked}, lifting <@${was.by}>'s lock (${taken})${reasonOf(was)}.`,
      );
    }
    return inChannel(`:unlock: <@${ctx.userId}> unlocked ${unlocked} (locked ${taken})${reasonOf(was)}.`);
  },
});
