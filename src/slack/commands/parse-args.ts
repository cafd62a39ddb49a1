import { echo } from '../../pipelines/echo.js';
import { plural } from '../plural.js';

/** Readers of a verb's words, shared by the verbs' parsers. `fail` throws the verb's usage error. */
type Fail = (why: string) => never;

export function exactly(args: string[], n: number, fail: Fail): string[] & { 0: string; 1: string } {
  if (args.length !== n) {
    fail(args.length < n ? 'something is missing' : `there is more than I can read (${plural(n, 'word')} expected)`);
  }
  return args as string[] & { 0: string; 1: string };
}

export function optional(args: string[], max: number, fail: Fail): string | undefined {
  if (args.length > max) fail('there is more than I can read');
  return args[0];
}

/** `[APP] [N]`: the number may come alone (the channel's default app is meant). */
export function appThenNumber(
  args: string[],
  fail: Fail,
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
export function appAndChannel(args: string[], fail: Fail): { app: string; channelId?: string } {
  const [app, channel] = args;
  if (!app || args.length > 2) fail('give the app, and optionally a #channel');
  if (channel === undefined) return { app };
  const id = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(channel)?.[1];
  if (!id) fail(`"${clip(channel)}" is not a channel: pick it from Slack's #channel suggestions`);
  return { app, channelId: id };
}

export function bounded(n: number, min: number, max: number, what: string, fail: Fail): number {
  if (!(Number.isInteger(n) && n >= min && n <= max)) fail(`${what} must be between ${min} and ${max}`);
  return n;
}

/** A bounded, printable piece of what was typed, for echoing it back (control characters are never echoed). */
export function clip(word: string): string {
  return echo(word);
}
