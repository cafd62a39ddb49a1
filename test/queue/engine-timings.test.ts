import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../src/queue/promotion-engine.js';

// The fault run (`npm run test:faults`) measures the real figure; this pins the arithmetic it rests on.
describe("production's engine timings", () => {
  const t = DEFAULT_TIMINGS;

  it("take up a dead worker's promotion within 15 s: its job lock lapses and is noticed, and its lease has lapsed", () => {
    expect(t.lockDurationMs + t.stalledIntervalMs).toBeLessThanOrEqual(15_000);
    expect(t.leaseTtlMs).toBeLessThanOrEqual(15_000);
  });

  it('finish one killed mid-write within 30 s of the crash: a write settles within 30 s of its start', () => {
    expect(t.writeSettleMs).toBeLessThanOrEqual(30_000);
    // Longer than the platform client's own timeout, so a timed-out write is never followed by a second at once.
    expect(t.writeSettleMs).toBeGreaterThan(10_000);
  });

  it('keep a lease renewed well inside its lifetime, and a job lock inside its own', () => {
    expect(t.leaseTtlMs).toBeGreaterThanOrEqual(3 * 3_000);
    expect(t.lockDurationMs).toBeGreaterThan(t.stalledIntervalMs);
  });
});
