import { parseAppName } from '../../pipelines/app-name.js';
import { checkAppExists, noSuchApp } from '../../pipelines/check-app-exists.js';
import { PlatformNotFoundError } from '../../platform/platform-errors.js';
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

/** The app a command means: the one typed, or the channel's default (a usage error if none). */
export function appOf(deps: CommandDeps, ctx: CommandContext, named?: string): Promise<string> {
  return deps.channels.resolveApp(ctx.teamId, ctx.channelId, named);
}

/** An app the user typed, once the platform confirms it has it (with the nearest pipeline app if it has not). */
export function existingApp(deps: CommandDeps, ctx: CommandContext, raw: string): Promise<string> {
  return checkAppExists(deps.platform, parseAppName(raw), pipelineApps(deps, ctx));
}

/** For a platform call on an app the user named: its 404 said as "there is no app named …". */
export async function onApp<T>(deps: CommandDeps, ctx: CommandContext, app: string, call: () => Promise<T>) {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PlatformNotFoundError) throw await noSuchApp(app, pipelineApps(deps, ctx));
    throw err;
  }
}

const pipelineApps = (deps: CommandDeps, ctx: CommandContext) => async () =>
  (await deps.pipelines.show(ctx.teamId)).apps;
