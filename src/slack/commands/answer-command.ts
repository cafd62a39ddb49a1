import type { Logger } from '../../create-logger.js';
import { AppError, InvalidInputError } from '../../errors.js';
import { isStoreUnreachable, STORE_UNREACHABLE } from '../../mongo/store-unreachable.js';
import { slackErrorOf } from '../slack-error-of.js';
import type { CommandContext, CommandDeps } from './command-deps.js';
import { CANNOT_POST } from './open-on-card.js';
import { parseCommand, UsageError } from './parse-command.js';
import { ephemeral, type Reply } from './reply.js';
import { type AnyVerb, type PipelineCommand, verbNamed } from './verbs.js';

type AnyHandler = (deps: CommandDeps, ctx: CommandContext, command: PipelineCommand) => Promise<Reply>;

/**
 * The one error boundary of `/pipeline`: any failure becomes an ephemeral message saying what to do next;
 * nothing is written when the input was bad.
 */
export async function answerCommand(
  deps: CommandDeps & { logger: Logger },
  ctx: CommandContext,
  text: string,
): Promise<Reply> {
  let verb: AnyVerb | undefined;
  try {
    const command = parseCommand(text);
    // The parser picked this verb for this command, so its handler takes it.
    const found = verbNamed(command.verb) as AnyVerb;
    verb = found;
    return await (found.handle as AnyHandler)(deps, ctx, command);
  } catch (err) {
    if (err instanceof UsageError) return ephemeral(err.message);
    const slackError = slackErrorOf(err);
    if (slackError === 'not_in_channel' || slackError === 'channel_not_found') {
      return ephemeral(CANNOT_POST);
    }
    // The usage line is for input that could not be read (an app name that is no app name, say); refusals of
    // what was asked, and outages, are told as they are.
    if (err instanceof InvalidInputError && verb) return ephemeral(`${err.message}\nUsage: ${verb.usage}`);
    if (err instanceof AppError) return ephemeral(err.message);
    if (isStoreUnreachable(err)) {
      deps.logger.warn({ err, verb: verb?.name }, '/pipeline: MongoDB unreachable');
      return ephemeral(STORE_UNREACHABLE);
    }
    const ref = ctx.triggerId.slice(0, 12);
    deps.logger.error({ err, verb: verb?.name, ref }, '/pipeline failed');
    return ephemeral(
      `Something went wrong on our side (ref ${ref}). Try again; if it keeps happening, tell your Slack admins.`,
    );
  }
}
