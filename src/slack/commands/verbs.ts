import { add } from './add.js';
import { diff } from './diff.js';
import { history } from './history.js';
import { lock } from './lock.js';
import { mute } from './mute.js';
import { notify } from './notify.js';
import { policy } from './policy.js';
import { promote } from './promote.js';
import { releases } from './releases.js';
import { remove } from './remove.js';
import { ephemeral } from './reply.js';
import { repo } from './repo.js';
import { rollback } from './rollback.js';
import { show } from './show.js';
import { unlock } from './unlock.js';
import { use } from './use.js';
import { defineVerb } from './verb.js';

/** `help` is about the list itself, so it lives with it. */
const help = defineVerb({
  name: 'help',
  usage: '/pipeline help',
  summary: 'this list',
  parse: (args, fail) => (args.length ? fail('help takes no arguments') : { verb: 'help' }),
  handle: async () => ephemeral(helpText()),
});

/** Every verb of DESIGN §4, in the order `help` lists them. A new verb is a new file, added here. */
export const VERBS = [
  help,
  show,
  add,
  remove,
  use,
  repo,
  diff,
  promote,
  releases,
  rollback,
  lock,
  unlock,
  policy,
  notify,
  mute,
  history,
] as const;

export type AnyVerb = (typeof VERBS)[number];
export type VerbName = AnyVerb['name'];
/** What `/pipeline …` asked for, checked for shape (not yet for existence: the services do that). */
export type PipelineCommand = ReturnType<AnyVerb['parse']>;

export function verbNamed(name: string): AnyVerb | undefined {
  return VERBS.find((verb) => verb.name === name);
}

/** `/pipeline help`: every verb, one line each. */
export function helpText(): string {
  return VERBS.map((verb) => `\`${verb.usage}\`  ${verb.summary}`).join('\n');
}
