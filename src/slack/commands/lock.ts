import { formatDuration, parseDuration } from '../../pipelines/duration.js';
import { reasonOf, untilOf } from '../blocks/lock-line.js';
import { inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

/**
 * A first word like `2h` or `30m` is how long the lock holds. One that looks meant as a duration but is not one we
 * take (`90s`, `1w`, `2hrs`) is refused rather than read as the reason, which would lock for good.
 */
const DURATION = /^\d+\s?(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$/i;

export const lock = defineVerb({
  name: 'lock',
  usage: '/pipeline lock APP [DURATION] [REASON…]',
  summary: 'refuse promotions and rollbacks into APP (for DURATION, e.g. 2h, if given)',
  parse: (args, fail) => {
    const [app, first] = args;
    if (!app) fail('name the app to lock');
    const timed = first !== undefined && DURATION.test(first);
    const reason = args
      .slice(timed ? 2 : 1)
      .join(' ')
      .slice(0, 500);
    let forMs: number | undefined;
    try {
      forMs = timed ? parseDuration(first.toLowerCase(), 'The lock duration') : undefined;
    } catch (err) {
      fail((err as Error).message.replace(/\.$/, ''));
    }
    return { verb: 'lock', app, reason, ...(forMs ? { forMs } : {}) };
  },
  handle: async (deps, ctx, c) => {
    const app = await existingApp(deps, ctx, c.app);
    const options = { forMs: c.forMs, channelId: ctx.channelId };
    const { app: locked, lock: taken } = await deps.appSettings.lock(ctx, app, c.reason, options);
    const span = c.forMs ? ` for ${formatDuration(c.forMs)}` : '';
    return inChannel(
      `:lock: <@${ctx.userId}> locked ${locked}${span}${reasonOf(taken)}. Promotions into it are refused ${untilOf(locked, taken)}.`,
    );
  },
});
