import { readHistory } from '../../audit/read-history.js';
import { shortAgo } from '../short-ago.js';
import { bounded, clip } from './parse-args.js';
import { code, ephemeral } from './reply.js';
import { defineVerb } from './verb.js';

export const history = defineVerb({
  name: 'history',
  usage: '/pipeline history APP [N]',
  summary: 'the audit trail of APP',
  parse: (args, fail) => {
    const [app, count] = args;
    if (!app || args.length > 2) fail('give the app, and optionally how many events');
    if (count !== undefined && !/^\d{1,9}$/.test(count)) fail(`"${clip(count)}" is not a number of events`);
    return { verb: 'history', app, count: count === undefined ? 20 : bounded(Number(count), 1, 50, 'N', fail) };
  },
  handle: async (deps, ctx, c) => {
    const trail = await readHistory(deps.audit, ctx.teamId, c.app, { limit: c.count });
    if (trail.events.length === 0) return ephemeral(`Nothing has happened to ${trail.app} yet.`);
    const now = deps.now();
    const lines = trail.events.map(
      (e) => `${shortAgo(e.at, now).padEnd(8)} ${e.action.padEnd(26)} ${who(e.actor)}${detail(e.details)}`,
    );
    return ephemeral(`History of ${trail.app}, newest first:\n${code(lines.join('\n'))}`);
  },
});

/** The program's own steps (expiry, a channel gone) are by `system`, which is nobody in Slack. */
function who(actor: string): string {
  return actor === 'system' ? 'pipeline-bot' : `<@${actor}>`;
}

/** What a history line needs beyond the action: the channel of an announcement change, and why. */
function detail(details: Record<string, unknown>): string {
  const channel = typeof details.channelId === 'string' ? ` <#${details.channelId}>` : '';
  const reason = typeof details.reason === 'string' ? ` (${details.reason})` : '';
  return channel + reason;
}
