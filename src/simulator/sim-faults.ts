import { SimError } from './sim-error.js';

/** A fault the simulator applies to matching requests (POST /_sim/faults). */
export type FaultRule = {
  method?: string;
  /**
   * Which paths: a prefix ending at a segment boundary (`/apps/myapp` matches `/apps/myapp/releases`, not
   * `/apps/myapp-staging`), where `*` stands for one segment (`/apps/*\/releases`); or, starting with `^`, a
   * regular expression (`^/apps/[^/]+/releases$`).
   */
  path: string;
  /** Answer with this status and a Heroku-style error body instead of doing the work. */
  status?: number;
  message?: string;
  /** Seconds, sent as Retry-After with the status. */
  retryAfter?: number;
  /** Wait this long before answering (or before dropping). */
  latencyMs?: number;
  /** Do the work, then close the connection without answering: the "lost response". */
  dropResponse?: boolean;
  /** Do the work, then wait this long before answering (a slow answer to a change already made). */
  holdResponseMs?: number;
  /** Read the request, wait this long, then do the work and answer (a write applied after the client timed out). */
  applyLateMs?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
};

const ERROR_IDS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid_params',
  429: 'rate_limit',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'unavailable',
};

export function parseFaultRule(input: unknown): FaultRule {
  const rule = (input ?? {}) as FaultRule;
  const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);
  const ok =
    typeof rule.path === 'string' &&
    (rule.path.startsWith('/') || (rule.path.startsWith('^') && isRegExp(rule.path))) &&
    optional(rule.method, (v) => typeof v === 'string') &&
    optional(rule.status, (v) => Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599) &&
    optional(rule.message, (v) => typeof v === 'string') &&
    optional(rule.retryAfter, (v) => Number.isInteger(v) && (v as number) >= 0) &&
    optional(rule.latencyMs, (v) => Number.isFinite(v) && (v as number) >= 0 && (v as number) <= 600_000) &&
    optional(rule.dropResponse, (v) => typeof v === 'boolean') &&
    optional(rule.holdResponseMs, (v) => Number.isFinite(v) && (v as number) >= 0 && (v as number) <= 600_000) &&
    optional(rule.applyLateMs, (v) => Number.isFinite(v) && (v as number) >= 0 && (v as number) <= 600_000) &&
    optional(rule.times, (v) => Number.isInteger(v) && (v as number) > 0);
  if (!ok) {
    throw new SimError(
      422,
      'invalid_params',
      'A fault needs path (a prefix starting with /, or a regular expression starting with ^) and optionally ' +
        'method, status (400-599), message, retryAfter (s), latencyMs, dropResponse (boolean), holdResponseMs, applyLateMs, times.',
    );
  }
  return rule;
}

/** The faults in force; `take` finds the first rule matching a request and counts it down. */
export function createFaults() {
  let rules: (FaultRule & { matcher: RegExp; left: number })[] = [];
  let lateWrites = 0;
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };
  return {
    /** Called whenever a fault is added, cleared or used up a little (the playground shows what is left). */
    onChange: (listener: () => void) => void listeners.push(listener),
    add(rule: FaultRule) {
      rules.push({ ...rule, matcher: matcherOf(rule.path), left: rule.times ?? Number.POSITIVE_INFINITY });
      changed();
    },
    clear: () => {
      rules = [];
      changed();
    },
    /** Runs a late write, counted while it waits (so a test can wait for the write to land, not for a time). */
    late: async <T>(work: () => Promise<T>): Promise<T> => {
      lateWrites++;
      try {
        return await work();
      } finally {
        lateWrites--;
      }
    },
    lateWritesPending: () => lateWrites,
    list: () => rules.map(({ matcher: _m, left, ...rule }) => ({ ...rule, left: Number.isFinite(left) ? left : null })),
    take(method: string, path: string): FaultRule | undefined {
      const rule = rules.find(
        (r) => r.left > 0 && r.matcher.test(path) && (!r.method || r.method.toUpperCase() === method),
      );
      if (rule) {
        rule.left--;
        changed();
      }
      return rule;
    },
  };
}

export function faultError(rule: FaultRule & { status: number }): SimError {
  return new SimError(rule.status, ERROR_IDS[rule.status] ?? 'error', rule.message ?? defaultMessage(rule.status));
}

function defaultMessage(status: number): string {
  if (status === 429)
    return 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests';
  if (status >= 500) return 'Internal server error (injected by the simulator).';
  return 'Request refused (injected by the simulator).';
}

function matcherOf(path: string): RegExp {
  if (path.startsWith('^')) return new RegExp(path);
  const prefix = path.split('*').map(escapeRegExp).join('[^/]+');
  return new RegExp(path.endsWith('/') ? `^${prefix}` : `^${prefix}(?:/|$)`);
}

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
