import { InvalidInputError } from '../../errors.js';
import { clip } from './parse-args.js';
import { tokenize } from './tokenize.js';
import { type AnyVerb, type PipelineCommand, VERBS, type VerbName, verbNamed } from './verbs.js';

const APP = /^[a-z][a-z0-9-]*$/;

/** A command a user typed that cannot be read; the message names the verb's usage. */
export class UsageError extends InvalidInputError {
  readonly verb: VerbName | undefined;

  constructor(message: string, verb?: VerbName) {
    super(message);
    this.verb = verb;
  }
}

/**
 * Reads the text after `/pipeline`. The first word picks the verb; a first word that is no verb but could be an
 * app means `show APP`, and nothing at all means `show`.
 */
export function parseCommand(text: string): PipelineCommand {
  if (text.length > 2_000) throw new UsageError(`That is too long to be a command. ${listUsage()}`);
  const [first, ...rest] = tokenize(text);
  if (first === undefined) return { verb: 'show' };
  const verb = verbNamed(first.toLowerCase());
  if (verb) return readVerb(verb, rest);
  if (APP.test(first) && rest.length === 0) return { verb: 'show', app: first };
  throw new UsageError(`"${clip(first)}" is not a /pipeline command. ${listUsage()}`);
}

function readVerb(verb: AnyVerb, args: string[]): PipelineCommand {
  const fail = (why: string): never => {
    throw new UsageError(`${capitalize(why)}. Usage: ${verb.usage}`, verb.name);
  };
  return verb.parse(args, fail);
}

function listUsage(): string {
  return `Try /pipeline help for the list; the commands are ${VERBS.map((v) => v.name).join(', ')}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
