import { InvalidInputError } from '../errors.js';
import { tokenize } from './tokenize.js';

/** What `/pipeline …` asked for, checked for shape (not yet for existence: the services do that). */
export type PipelineCommand =
  | { verb: 'help' }
  | { verb: 'show'; app?: string }
  | { verb: 'add'; upstream: string; downstream: string }
  | { verb: 'remove'; upstream: string }
  | { verb: 'use'; app: string }
  | { verb: 'repo'; app: string; repo: string }
  | { verb: 'diff'; app?: string }
  | { verb: 'promote'; app?: string }
  | { verb: 'releases'; app?: string; count: number }
  | { verb: 'rollback'; app?: string; version?: number }
  | { verb: 'lock'; app: string; reason: string }
  | { verb: 'unlock'; app: string }
  | { verb: 'policy'; app: string; settings: string[] }
  | { verb: 'notify'; app: string; channelId?: string }
  | { verb: 'mute'; app: string; channelId?: string }
  | { verb: 'history'; app: string; count: number };

export type Verb = PipelineCommand['verb'];

type VerbSpec = {
  usage: string;
  summary: string;
  parse(args: string[], fail: (why: string) => never): PipelineCommand;
};

const APP = /^[a-z][a-z0-9-]*$/;
const isApp = (word: string | undefined): word is string => word !== undefined && APP.test(word);

/** The grammar of DESIGN §4, one entry a verb: usage line, one-line help, and how its words are read. */
export const VERBS: Record<Verb, VerbSpec> = {
  help: {
    usage: '/pipeline help',
    summary: 'this list',
    parse: (args, fail) => (args.length ? fail('help takes no arguments') : { verb: 'help' }),
  },
  show: {
    usage: '/pipeline [show] [APP]',
    summary: "the pipeline APP belongs to, or all of this workspace's",
    parse: (args, fail) => ({ verb: 'show', app: optional(args, 1, fail) }),
  },
  add: {
    usage: '/pipeline add UPSTREAM DOWNSTREAM',
    summary: 'make DOWNSTREAM the downstream of UPSTREAM',
    parse: (args, fail) => {
      const [upstream, downstream] = exactly(args, 2, fail);
      return { verb: 'add', upstream, downstream };
    },
  },
  remove: {
    usage: '/pipeline remove UPSTREAM',
    summary: "drop UPSTREAM's downstream link",
    parse: (args, fail) => ({ verb: 'remove', upstream: exactly(args, 1, fail)[0] }),
  },
  use: {
    usage: '/pipeline use APP',
    summary: "make APP this channel's default app",
    parse: (args, fail) => ({ verb: 'use', app: exactly(args, 1, fail)[0] }),
  },
  repo: {
    usage: '/pipeline repo APP OWNER/NAME',
    summary: 'link APP to its GitHub repository (commit lists in diffs)',
    parse: (args, fail) => {
      const [app, repo] = exactly(args, 2, fail);
      return { verb: 'repo', app, repo };
    },
  },
  diff: {
    usage: '/pipeline diff [UPSTREAM]',
    summary: 'compare with its downstream and post the promotion card',
    parse: (args, fail) => ({ verb: 'diff', app: optional(args, 1, fail) }),
  },
  promote: {
    usage: '/pipeline promote [UPSTREAM]',
    summary: "promote UPSTREAM's current release to its downstream",
    parse: (args, fail) => ({ verb: 'promote', app: optional(args, 1, fail) }),
  },
  releases: {
    usage: '/pipeline releases [APP] [N]',
    summary: 'the last N releases (default 10)',
    parse: (args, fail) => {
      const [app, count] = appThenNumber(args, fail, 'N', /^\d{1,3}$/);
      return { verb: 'releases', app, count: count === undefined ? 10 : bounded(Number(count), 1, 50, 'N', fail) };
    },
  },
  rollback: {
    usage: '/pipeline rollback [APP] [vN]',
    summary: 'roll back to vN (default: the release before the current)',
    parse: (args, fail) => {
      const [app, version] = appThenNumber(args, fail, 'vN', /^v\d{1,6}$/);
      return { verb: 'rollback', app, version: version === undefined ? undefined : Number(version.slice(1)) };
    },
  },
  lock: {
    usage: '/pipeline lock APP [REASON…]',
    summary: 'refuse promotions and rollbacks into APP',
    parse: (args, fail) => {
      const [app, ...reason] = args;
      if (!app) fail('name the app to lock');
      return { verb: 'lock', app, reason: reason.join(' ').slice(0, 500) };
    },
  },
  unlock: {
    usage: '/pipeline unlock APP',
    summary: 'allow promotions into APP again',
    parse: (args, fail) => ({ verb: 'unlock', app: exactly(args, 1, fail)[0] }),
  },
  policy: {
    usage:
      '/pipeline policy APP [approvals=N] [approvers=@user,@group…] [self-approval=on|off] [expires=24h] [rollback-approvals=N]',
    summary: 'show or change who must approve promotions into APP',
    parse: (args, fail) => {
      const [app, ...settings] = args;
      if (!app) fail('name the app whose policy to show or change');
      return { verb: 'policy', app, settings };
    },
  },
  notify: {
    usage: '/pipeline notify APP [#channel]',
    summary: "announce APP's new releases in a channel (default: here)",
    parse: (args, fail) => ({ verb: 'notify', ...appAndChannel(args, fail) }),
  },
  mute: {
    usage: '/pipeline mute APP [#channel]',
    summary: "stop announcing APP's releases in a channel",
    parse: (args, fail) => ({ verb: 'mute', ...appAndChannel(args, fail) }),
  },
  history: {
    usage: '/pipeline history APP [N]',
    summary: 'the audit trail of APP',
    parse: (args, fail) => {
      const [app, count] = args;
      if (!app || args.length > 2) fail('give the app, and optionally how many events');
      if (count !== undefined && !/^\d{1,3}$/.test(count)) fail(`"${clip(count)}" is not a number of events`);
      return { verb: 'history', app, count: count === undefined ? 20 : bounded(Number(count), 1, 50, 'N', fail) };
    },
  },
};

/** A command a user typed that cannot be read; the message names the verb's usage. */
export class UsageError extends InvalidInputError {
  readonly verb: Verb | undefined;

  constructor(message: string, verb?: Verb) {
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
  const words = tokenize(text);
  const [first, ...rest] = words;
  if (first === undefined) return { verb: 'show' };
  const verb = first.toLowerCase();
  if (Object.hasOwn(VERBS, verb)) return readVerb(verb as Verb, rest);
  if (isApp(first) && rest.length === 0) return { verb: 'show', app: first };
  throw new UsageError(`"${clip(first)}" is not a /pipeline command. ${listUsage()}`);
}

function readVerb(verb: Verb, args: string[]): PipelineCommand {
  const spec = VERBS[verb];
  const fail = (why: string): never => {
    throw new UsageError(`${capitalize(why)}. Usage: ${spec.usage}`, verb);
  };
  return spec.parse(args, fail);
}

/** `/pipeline help`: every verb, one line each. */
export function helpText(): string {
  return Object.values(VERBS)
    .map((spec) => `\`${spec.usage}\`  ${spec.summary}`)
    .join('\n');
}

function listUsage(): string {
  return `Try /pipeline help for the list; the commands are ${Object.keys(VERBS).join(', ')}.`;
}

function exactly(args: string[], n: number, fail: (why: string) => never): string[] & { 0: string; 1: string } {
  if (args.length !== n)
    fail(
      args.length < n
        ? 'something is missing'
        : `there is more than I can read (${n} word${n === 1 ? '' : 's'} expected)`,
    );
  return args as string[] & { 0: string; 1: string };
}

function optional(args: string[], max: number, fail: (why: string) => never): string | undefined {
  if (args.length > max) fail('there is more than I can read');
  return args[0];
}

/** `[APP] [N]`: the number may come alone (the channel's default app is meant). */
function appThenNumber(
  args: string[],
  fail: (why: string) => never,
  what: string,
  number: RegExp,
): [string | undefined, string | undefined] {
  if (args.length > 2) fail('there is more than I can read');
  const [a, b] = args;
  if (a !== undefined && number.test(a) && b === undefined) return [undefined, a];
  if (b !== undefined && !number.test(b)) fail(`"${clip(b)}" is not ${what}`);
  return [a, b];
}

/** Slack sends a channel as `<#C123|name>` (with escaping on); its id is what we keep. */
function appAndChannel(args: string[], fail: (why: string) => never): { app: string; channelId?: string } {
  const [app, channel] = args;
  if (!app || args.length > 2) fail('give the app, and optionally a #channel');
  if (channel === undefined) return { app };
  const id = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(channel)?.[1];
  if (!id) fail(`"${clip(channel)}" is not a channel: pick it from Slack's #channel suggestions`);
  return { app, channelId: id };
}

function bounded(n: number, min: number, max: number, what: string, fail: (why: string) => never): number {
  if (!(n >= min && n <= max)) fail(`${what} must be from ${min} to ${max}`);
  return n;
}

function clip(word: string): string {
  return word.length > 40 ? `${word.slice(0, 40)}…` : word;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
