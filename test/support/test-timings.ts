import type { EngineTimings } from '../../src/queue/promotion-engine.js';

/** Quick enough for tests, same mechanics as production. */
export const TEST_TIMINGS: EngineTimings = {
  attempts: 4,
  backoffMs: 50,
  busyRetryMs: 100,
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  leaseTtlMs: 3_000,
  writeSettleMs: 4_000,
  // Tests call the reconciler right after making the mess it must clean up; the race test sets its own.
  reconcileSettlingMs: 0,
};
