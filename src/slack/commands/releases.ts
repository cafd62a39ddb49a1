import { shortAgo } from '../short-ago.js';
import { appThenNumber, bounded } from './parse-args.js';
import { code, ephemeral } from './reply.js';
import { appOf, defineVerb, onApp } from './verb.js';

export const releases = defineVerb({
  name: 'releases',
  usage: '/pipeline releases [APP] [N]',
  summary: 'the last N releases (default 10)',
  parse: (args, fail) => {
    const [app, count] = appThenNumber(args, fail, 'N', /^\d{1,9}$/);
    return { verb: 'releases', app, count: count === undefined ? 10 : bounded(Number(count), 1, 50, 'N', fail) };
  },
  handle: async (deps, ctx, c) => {
    const name = await appOf(deps, ctx, c.app);
    const list = await onApp(deps, ctx, name, () => deps.platform.listReleases(name, { limit: c.count }));
    const now = deps.now();
    const lines = list.map((r) => `v${r.version}  ${r.description}  ${r.userEmail}  ${shortAgo(r.createdAt, now)}`);
    return ephemeral(`${name} releases:\n${code(lines.join('\n'))}`);
  },
});
