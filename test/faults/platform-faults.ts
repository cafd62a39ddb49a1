import type { FaultRule } from '../../src/simulator/sim-faults.js';
import { type FaultDeps, pause } from './fault-deps.js';
import type { ScheduledFault } from './fault-options.js';

/** The calls the bot makes of the platform that matter most: creating a release, reading an app's releases. */
const WRITES = { method: 'POST', path: '^/apps/prod-[0-9]+/releases$' };
const READS = { method: 'GET', path: '^/apps/[^/]+/releases$' };
const ANY = { path: '^/apps/' };
/** Beyond the bot's 10 s client timeout. */
const TIMEOUT_MS = 12_000;
const LATE_MS = 15_000;
/** A rule not used up by then is cleared: the traffic did not reach it. */
const RULE_WINDOW_MS = 20_000;

export type PlatformFault = Extract<
  ScheduledFault,
  'platform-503' | 'platform-429' | 'platform-timeout' | 'dropped-answer' | 'late-write'
>;

/**
 * One misbehaviour of the platform, for a few calls, until used up; then the effects it delays are waited out.
 * False when it could not be injected (late writes on a simulator that has none).
 */
export async function platformFault(deps: FaultDeps, kind: PlatformFault): Promise<boolean> {
  const rule = ruleFor(deps, kind);
  if (!rule) {
    deps.ledger.notes.push('late write skipped: the simulator does not apply applyLateMs (parseFaultRule ignores it)');
    return false;
  }
  await deps.sim.fault(rule);
  const times = rule.times ?? 1;
  const started = Date.now();
  let left = times;
  // Each injected answer counts down in the simulator's own list: polled in-process, where it is cheap.
  while (left > 0 && Date.now() - started < RULE_WINDOW_MS) {
    await pause(100);
    left = (deps.simulator.faults.list()[0]?.left as number | null | undefined) ?? 0;
  }
  await deps.sim.clearFaults();
  deps.ledger.count(`${kind} answers`, times - left);
  // What a slow or late call does lands that much later; the fault lasts until then.
  const lingers = rule.latencyMs ?? (rule as { applyLateMs?: number }).applyLateMs ?? rule.holdResponseMs ?? 0;
  if (times - left > 0) await pause(lingers);
  return true;
}

function ruleFor(deps: FaultDeps, kind: PlatformFault): FaultRule | undefined {
  const r = deps.random;
  switch (kind) {
    case 'platform-503':
      return { ...r.pick([WRITES, READS, ANY]), status: 503, times: r.int(3, 8) };
    case 'platform-429':
      return { ...r.pick([WRITES, READS, ANY]), status: 429, retryAfter: r.int(1, 3), times: r.int(2, 5) };
    case 'platform-timeout':
      return { ...r.pick([WRITES, READS]), latencyMs: TIMEOUT_MS, times: r.int(1, 3) };
    case 'dropped-answer':
      return { ...WRITES, dropResponse: true, times: r.int(1, 3) };
    case 'late-write':
      // The field is the other engineer's addition: typed loosely so this compiles before and after it lands.
      return deps.lateWrites ? ({ ...WRITES, applyLateMs: LATE_MS, times: 1 } as FaultRule) : undefined;
  }
}
