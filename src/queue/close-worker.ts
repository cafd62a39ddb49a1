import type { Worker } from 'bullmq';

/**
 * Closes a worker gracefully (its running job finishes), but not forever: `close()` can hang after a Redis
 * reconnect (taskforcesh/bullmq#2237), so past the deadline it is forced, and an unfinished job stalls and is
 * picked up again by another worker.
 */
export async function closeWorker(worker: Worker, deadlineMs: number): Promise<'graceful' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const outcome = await Promise.race([worker.close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'closed') return 'graceful';
  await Promise.race([worker.close(true), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  return 'forced';
}
