import { InvalidInputError } from '../errors.js';
import { DURATION_FORM, parseDuration } from './duration.js';
import { echo } from './echo.js';
import { MAX_APPROVALS, type Policy } from './policy.js';

export type PolicyChange = Partial<Policy>;

const COUNT_FORM = `a whole number from 0 to ${MAX_APPROVALS}`;
const APPROVERS_FORM = 'Slack users and user groups separated by commas (approvers=@ana,@sre), or approvers=anyone';

type Setting = { form: string; parse(value: string, key: string): PolicyChange };

const SETTINGS: Record<string, Setting> = {
  approvals: { form: COUNT_FORM, parse: (v, k) => ({ approvals: parseCount(v, k) }) },
  approvers: { form: APPROVERS_FORM, parse: (v) => ({ approvers: parseApprovers(v) }) },
  'self-approval': { form: 'on or off', parse: (v, k) => ({ selfApproval: parseOnOff(v, k) }) },
  expires: { form: DURATION_FORM, parse: (v, k) => ({ expiresMs: parseDuration(v, k) }) },
  'rollback-approvals': { form: COUNT_FORM, parse: (v, k) => ({ rollbackApprovals: parseCount(v, k) }) },
};

/** `['approvals=2', 'self-approval=off']` → the fields to change. Every word must be a known `key=value`. */
export function parsePolicyArgs(args: readonly string[]): PolicyChange {
  const change: PolicyChange = {};
  const seen = new Set<string>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    const key = at > 0 ? arg.slice(0, at).toLowerCase() : '';
    const setting = SETTINGS[key];
    if (!setting) {
      // The usage line is added where the command is answered, once.
      const names = Object.keys(SETTINGS).join(', ');
      throw new InvalidInputError(`"${echo(arg)}" is not a policy setting: the settings are ${names}.`);
    }
    if (seen.has(key)) throw new InvalidInputError(`${key} is given twice; give each setting once.`);
    seen.add(key);
    Object.assign(change, setting.parse(arg.slice(at + 1), key));
  }
  return change;
}

function parseCount(value: string, key: string): number {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= MAX_APPROVALS)) {
    throw new InvalidInputError(`${key} must be ${COUNT_FORM} (e.g. ${key}=2); got "${echo(value, 20)}".`);
  }
  return n;
}

function parseOnOff(value: string, key: string): boolean {
  const v = value.toLowerCase();
  if (v === 'on' || v === 'off') return v === 'on';
  throw new InvalidInputError(`${key} must be on or off; got "${echo(value, 20)}".`);
}

/**
 * Slack sends mentions escaped: `<@U123>` or `<@U123|ana>` for users, `<!subteam^S123>` or
 * `<!subteam^S123|@sre>` for user groups. Plain ids (`U123`, `S123`) are accepted too.
 */
function parseApprovers(value: string): Policy['approvers'] {
  if (value.toLowerCase() === 'anyone') return { users: [], groups: [] };
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const item of value.split(',').map((s) => s.trim())) {
    const user = /^(?:<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|([UW][A-Z0-9]{2,}))$/.exec(item);
    const group = /^(?:<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>|(S[A-Z0-9]{2,}))$/.exec(item);
    if (user) users.add(user[1] ?? user[2] ?? '');
    else if (group) groups.add(group[1] ?? group[2] ?? '');
    else
      throw new InvalidInputError(
        `"${echo(item)}" is not a Slack user or user group. approvers takes ${APPROVERS_FORM}.`,
      );
  }
  return { users: [...users].sort(), groups: [...groups].sort() };
}
