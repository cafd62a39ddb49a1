import type { Actor } from '../../actor.js';
import type { Logger } from '../../create-logger.js';
import { AppError } from '../../errors.js';
import { type PipelineCommand, parseCommand, UsageError, VERBS, type Verb } from '../parse-command.js';
import { COMMAND_HANDLERS, type CommandDeps } from './command-handlers.js';
import { ephemeral, type Reply } from './reply.js';

export type CommandContext = Actor & { channelId: string; triggerId: string };

/**
 * The one error boundary of `/pipeline`: any failure becomes an ephemeral message saying what to do next;
 * nothing is written when the input was bad.
 */
export async function answerCommand(
  deps: CommandDeps & { logger: Logger },
  ctx: CommandContext,
  text: string,
): Promise<Reply> {
  let verb: Verb | undefined;
  try {
    const command: PipelineCommand = parseCommand(text);
    verb = command.verb;
    return await COMMAND_HANDLERS[command.verb](deps, ctx, command as never);
  } catch (err) {
    if (err instanceof UsageError) return ephemeral(err.message);
    const slackError = (err as { data?: { error?: string } }).data?.error;
    if (slackError === 'not_in_channel' || slackError === 'channel_not_found') {
      return ephemeral(
        'I cannot post in this channel: invite me first (`/invite @pipeline`), then run the command again.',
      );
    }
    if (err instanceof AppError) return ephemeral(verb ? `${err.message}\nUsage: ${VERBS[verb].usage}` : err.message);
    const ref = ctx.triggerId.slice(0, 12);
    deps.logger.error({ err, verb, ref }, '/pipeline failed');
    return ephemeral(
      `Something went wrong on our side (ref ${ref}). Try again; if it keeps happening, tell your Slack admins.`,
    );
  }
}
