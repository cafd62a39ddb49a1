import type { FaultLedger, WorkerKill } from './fault-ledger.js';
import type { Invariant } from './invariant.js';

/** What the issue asks of recovery: promotions move again, and a crashed worker's promotion ends, within 30 s. */
const WITHIN_S = 30;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** From Redis being back (after a clean stop or a crash) to the first promotion that succeeded after. */
export function resumeAfterRedis(ledger: FaultLedger): Invariant {
  const name = 'promotions resume after Redis returns';
  if (ledger.redisOutages.length === 0) return { name, value: 'not measured (no outage)', ok: false, evidence: [] };
  const evidence = ledger.redisOutages.map((o) =>
    o.firstSuccessAt === undefined
      ? `${o.kind} (down ${seconds(o.backAt - o.downAt)}): no promotion succeeded after it within the run`
      : `${o.kind} (down ${seconds(o.backAt - o.downAt)}): first success ${seconds(o.firstSuccessAt - o.backAt)} after`,
  );
  if (ledger.redisOutages.some((o) => o.firstSuccessAt === undefined)) {
    return { name, value: 'never (see evidence)', ok: false, evidence };
  }
  const worst = Math.max(...ledger.redisOutages.map((o) => (o.firstSuccessAt as number) - o.backAt));
  return { name, value: seconds(worst), ok: worst <= WITHIN_S * 1000, evidence };
}

/**
 * From a worker's SIGKILL to the end of the promotion it was running. The goal (finding 5) is 30 s once another
 * worker is there: it is judged on the kills whose recovery no other fault slowed (a 503 or a Redis stop right
 * after the kill adds its own wait, shown in the evidence); those must still end within a minute, as any approval.
 */
export function crashedWorkerPromotion(ledger: FaultLedger): Invariant {
  const name = "crashed worker's promotion completes";
  const measured = ledger.kills.filter((k) => k.promotionId);
  const slowedBy = (k: WorkerKill) =>
    ledger.windows.find((w) => !w.kind.startsWith('worker-kill') && w.to > k.at && w.from < (k.endedAt ?? Infinity))
      ?.kind;
  const evidence = ledger.kills.map((k) => {
    if (!k.promotionId) return `${k.worker} (${k.variant}): killed with no promotion found in flight`;
    const head = `${k.worker} (${k.variant}) died running ${k.promotionId} into ${k.downstream}`;
    if (k.endedAt === undefined) return `${head}: not ended within the run`;
    const slowed = slowedBy(k);
    return `${head}: ${k.endState} ${seconds(k.endedAt - k.at)} later${slowed ? ` (${slowed} in force meanwhile)` : ''}`;
  });
  if (measured.length === 0) return { name, value: 'not measured (no kill hit a promotion)', ok: false, evidence };
  if (measured.some((k) => k.endedAt === undefined))
    return { name, value: 'never (see evidence)', ok: false, evidence };
  const took = (k: WorkerKill) => (k.endedAt as number) - k.at;
  const alone = measured.filter((k) => !slowedBy(k));
  const worstAlone = alone.length ? Math.max(...alone.map(took)) : 0;
  const worst = Math.max(...measured.map(took));
  const value = `${alone.length ? seconds(worstAlone) : 'n/a'} (with another fault meanwhile: ${seconds(worst)})`;
  return { name, value, ok: worstAlone <= WITHIN_S * 1000 && worst <= 2 * WITHIN_S * 1000, evidence };
}
