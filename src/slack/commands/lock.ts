import { userText } from '../blocks/mrkdwn.js';
import { inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const lock = defineVerb({
  name: 'lock',
  usage: '/pipeline lock APP [REASON…]',
  summary: 'refuse promotions and rollbacks into APP',
  parse: (args, fail) => {
    const [app, ...reason] = args;
    if (!app) fail('name the app to lock');
    return { verb: 'lock', app, reason: reason.join(' ').slice(0, 500) };
  },
  handle: async (deps, ctx, c) => {
    const app = await existingApp(deps, ctx, c.app);
    const { app: locked, lock: taken } = await deps.appSettings.lock(ctx, app, c.reason);
    const why = taken.reason ? `: "${userText(taken.reason)}"` : '';
    return inChannel(
      `:lock: <@${ctx.userId}> locked ${locked}${why}. Promotions into it are refused until /pipeline unlock ${locked}.`,
    );
  },
});
