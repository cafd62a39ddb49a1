import { exactly } from './parse-args.js';
import { ephemeral } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const repo = defineVerb({
  name: 'repo',
  usage: '/pipeline repo APP OWNER/NAME',
  summary: 'link APP to its GitHub repository (commit lists in diffs)',
  parse: (args, fail) => {
    const [app, repository] = exactly(args, 2, fail);
    return { verb: 'repo', app, repo: repository };
  },
  handle: async (deps, ctx, c) => {
    const linked = await deps.appSettings.setRepo(ctx, await existingApp(deps, ctx, c.app), c.repo);
    return ephemeral(`${linked.app} is linked to github.com/${linked.repo}: diffs will list its commits.`);
  },
});
