import { type FaultDeps, pause } from './fault-deps.js';
import { type FaultSize, SCHEDULED_FAULTS, type ScheduledFault } from './fault-options.js';
import { platformFault } from './platform-faults.js';
import { crashRedis, killWorker, restartMongo, stopRedis } from './process-faults.js';
import type { SeededRandom } from './seeded-random.js';
import { forgedDelivery } from './slack-faults.js';

export type PlannedFault = { kind: ScheduledFault; gapMs: number };

/** The size's faults in a random order (from the seed), each after a random gap. */
export function planFaults(size: FaultSize, random: SeededRandom): PlannedFault[] {
  const kinds = SCHEDULED_FAULTS.flatMap((kind) => Array.from({ length: size.faults[kind] }, () => kind));
  const [min, max] = size.gapSeconds;
  return random.shuffle(kinds).map((kind) => ({ kind, gapMs: random.int(min * 1_000, max * 1_000) }));
}

/** Injects the planned faults one after another, each once it is over (the schedule is its own clock). */
export async function runFaultSchedule(
  deps: FaultDeps,
  plan: PlannedFault[],
  say: (line: string) => void,
): Promise<void> {
  for (const [i, fault] of plan.entries()) {
    await pause(fault.gapMs);
    const started = Date.now();
    say(`fault ${i + 1}/${plan.length}: ${fault.kind}`);
    try {
      if (await inject(deps, fault.kind)) deps.ledger.count(fault.kind);
    } catch (err) {
      // A fault that could not be injected is reported, not fatal: the invariants still hold or not.
      deps.ledger.notes.push(`fault ${fault.kind} could not be injected: ${(err as Error).message}`);
    }
    deps.ledger.lastFaultEnd = Date.now();
    deps.ledger.windows.push({ kind: fault.kind, from: started, to: deps.ledger.lastFaultEnd });
    say(`fault ${i + 1}/${plan.length}: ${fault.kind} over after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** False when the fault could not be had here (late writes on a simulator without them). */
async function inject(deps: FaultDeps, kind: ScheduledFault): Promise<boolean> {
  switch (kind) {
    case 'worker-kill':
      await killWorker(deps);
      return true;
    case 'redis-stop':
      await stopRedis(deps);
      return true;
    case 'redis-crash':
      await crashRedis(deps);
      return true;
    case 'mongo-restart':
      await restartMongo(deps);
      return true;
    case 'forged-signature':
      await forgedDelivery(deps, 'wrong-secret');
      return true;
    case 'stale-timestamp':
      await forgedDelivery(deps, 'stale');
      return true;
    default:
      return platformFault(deps, kind);
  }
}
