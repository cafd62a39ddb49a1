/** A request signed wrongly or too long ago, and what the bot answered (it must be 401). */
export type ForgedDelivery = {
  kind: 'wrong-secret' | 'stale';
  what: 'command' | 'click';
  status: number;
  triggerId: string;
  /** Where an answer would land: a forged request must get none. */
  responseId: string;
  userId: string;
  promotionId?: string;
};
/** A click that must be refused: the requester's own, or someone who is no approver. */
export type RefusedClick = {
  kind: 'self-approval' | 'non-approver';
  promotionId: string;
  userId: string;
  status: number;
  responseId: string;
};
/** A worker killed while it held a promotion (when one could be found), and when that promotion ended. */
export type WorkerKill = {
  worker: string;
  variant: 'held-answer' | 'random-point';
  at: number;
  promotionId?: string;
  downstream?: string;
  endedAt?: number;
  endState?: string;
};
/** Redis gone (stopped cleanly, or killed) and back, and when the first promotion succeeded after. */
export type RedisOutage = { kind: 'stop' | 'crash'; downAt: number; backAt: number; firstSuccessAt?: number };

/** FerretDB stopped and started again: when the web role answered ready, and when it stored a request again. */
export type MongoRestart = { downAt: number; backAt: number; webReadyAt?: number; firstRequestAt?: number };

/**
 * What the run did, as it did it: the counts of every fault, and the records the invariants are checked against
 * (what was forged, which clicks had to be refused, which worker died holding what, when Redis came back).
 */
export function createFaultLedger() {
  const counts = new Map<string, number>();
  return {
    counts,
    count: (kind: string, n = 1) => void counts.set(kind, (counts.get(kind) ?? 0) + n),
    notes: [] as string[],
    forged: [] as ForgedDelivery[],
    refused: [] as RefusedClick[],
    kills: [] as WorkerKill[],
    /** When each fault was in force (one at a time): a kill's recovery that another fault slowed is told apart. */
    windows: [] as { kind: string; from: number; to: number }[],
    redisOutages: [] as RedisOutage[],
    mongoRestarts: [] as MongoRestart[],
    /** Per request, the response_url ids of the commands and clicks about it (the bot's answers land there). */
    exchanges: new Map<string, string[]>(),
    /** When the last scheduled fault was over (the 60 s for everything to settle start there). */
    lastFaultEnd: 0,
  };
}

export type FaultLedger = ReturnType<typeof createFaultLedger>;
