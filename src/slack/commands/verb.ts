import { parseAppName } from '../../pipelines/app-name.js';
import { checkAppExists } from '../../pipelines/check-app-exists.js';
import type { CommandContext, CommandDeps } from './command-deps.js';
import type { Reply } from './reply.js';

/** How a verb's words are read: `fail` throws the verb's usage error with the reason given. */
export type ParseArgs<C> = (args: string[], fail: (why: string) => never) => C;

/**
 * One `/pipeline` verb, whole: its usage line and one-line help (for `help` and error messages), how its words
 * are read, and what it does. Each lives in its own file; `verbs.ts` lists them.
 */
export type Verb<Name extends string = string, C extends { verb: Name } = { verb: Name }> = {
  name: Name;
  usage: string;
  summary: string;
  parse: ParseArgs<C>;
  handle(deps: CommandDeps, ctx: CommandContext, command: C): Promise<Reply>;
};

/** Keeps each verb's command type precise where it is defined. */
export function defineVerb<Name extends string, C extends { verb: Name }>(verb: Verb<Name, C>): Verb<Name, C> {
  return verb;
}

/** The app a command means: the one typed, or the channel's default (an error naming this verb's usage if none). */
export function appOf(deps: CommandDeps, ctx: CommandContext, usage: string, named?: string): Promise<string> {
  return deps.channels.resolveApp(ctx.teamId, ctx.channelId, named, usage);
}

/** An app the user typed, once the platform confirms it has it (with the nearest pipeline app if it has not). */
export function existingApp(deps: CommandDeps, ctx: CommandContext, raw: string): Promise<string> {
  return checkAppExists(deps.platform, parseAppName(raw), async () => (await deps.pipelines.show(ctx.teamId)).apps);
}
