import type { Worker } from 'bullmq';
import { withTimeLimit } from '../time-limit.js';

/**
 * Closes a worker gracefully (its running job finishes), but not forever: `close()` can hang after a Redis
 * reconnect (taskforcesh/bullmq#2237), so past the deadline it is forced, and an unfinished job stalls and is
 * picked up again by another worker.
 */
export async function closeWorker(worker: Worker, deadlineMs: number): Promise<'graceful' | 'forced'> {
  const outcome = await withTimeLimit(
    worker.close().then(() => 'closed' as const),
    deadlineMs,
    () => 'late' as const,
  );
  if (outcome === 'closed') return 'graceful';
  await withTimeLimit(worker.close(true), 1_000, () => undefined);
  return 'forced';
}
