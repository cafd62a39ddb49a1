import { readHistory } from '../../audit/read-history.js';
import { historyLine } from '../blocks/history-line.js';
import { shortAgo } from '../short-ago.js';
import { bounded, clip } from './parse-args.js';
import { ephemeral } from './reply.js';
import { defineVerb } from './verb.js';

export const history = defineVerb({
  name: 'history',
  usage: '/pipeline history APP [N]',
  summary: 'who changed what on APP, newest first (N events, default 20, at most 50)',
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
    // Plain lines, not a code block: Slack renders mentions and channel names only outside one.
    const lines = trail.events.map((e) => `• ${shortAgo(e.at, now)} · ${historyLine(e)}`);
    const more = trail.next
      ? `\nThese are the newest ${trail.events.length}; ${c.count < 50 ? `\`/pipeline history ${trail.app} 50\` shows more.` : 'older ones are in the audit log.'}`
      : '';
    return ephemeral(`History of ${trail.app}, newest first:\n${lines.join('\n')}${more}`);
  },
});
