import { lockLine } from '../blocks/lock-line.js';
import { add } from './add.js';
import type { CommandDeps } from './command-deps.js';
import { optional } from './parse-args.js';
import { code, ephemeral } from './reply.js';
import { defineVerb } from './verb.js';

export const show = defineVerb({
  name: 'show',
  usage: '/pipeline [show] [APP]',
  summary: "the pipeline APP belongs to, or all of this workspace's",
  parse: (args, fail): { verb: 'show'; app?: string } => ({ verb: 'show', app: optional(args, 1, fail) }),
  handle: async (deps, ctx, c) => {
    const named = c.app ?? (await deps.channels.defaultApp(ctx.teamId, ctx.channelId)) ?? undefined;
    const view = await deps.pipelines.show(ctx.teamId, named);
    const heard = (await listeningChannels(deps, ctx.teamId, view.apps)) + (await locks(deps, ctx.teamId, view.apps));
    if (view.pipelines.length > 0) return ephemeral(code(view.pipelines.join('\n\n')) + heard);
    if (view.app) return ephemeral(`${view.app} is not in a pipeline yet. Add it with ${add.usage}.${heard}`);
    return ephemeral(`This workspace has no pipelines yet. Start one with ${add.usage}.`);
  },
});

/** Which of the apps shown are locked, by whom, since when and why: one query, however many apps are drawn. */
async function locks(deps: CommandDeps, teamId: string, apps: string[]): Promise<string> {
  const now = deps.now();
  const shown = new Set(apps);
  const locked = (await deps.appSettings.locked(teamId)).filter((s) => shown.has(s.app));
  const lines = locked.map((s) => lockLine(s.app, s.lock, now));
  return lines.length ? `\n${lines.join('\n')}` : '';
}

/** `show`'s last lines: which channels hear each app shown. */
async function listeningChannels(deps: CommandDeps, teamId: string, apps: string[]): Promise<string> {
  const byApp = await deps.subscriptionService.listening(teamId);
  const lines = apps
    .filter((a) => byApp.has(a))
    .map((a) => `:loudspeaker: ${a} is announced in ${(byApp.get(a) ?? []).map((c) => `<#${c}>`).join(', ')}`);
  return lines.length ? `\n${lines.join('\n')}` : '';
}
