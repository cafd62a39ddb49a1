import { OperationalError } from '../errors.js';
import { withTimeLimit } from '../time-limit.js';

/** Redis could not be reached in time: the caller's change may be stored, but nothing was queued. */
export class QueueUnavailableError extends OperationalError {
  readonly code = 'queue_unavailable';
  readonly retryable = true;
}

/**
 * BullMQ waits for its first connection before any command, so a producer started while Redis is down would
 * hang instead of failing. This bounds every producer call.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return withTimeLimit(work, ms, (): never => {
    throw new QueueUnavailableError(`Redis did not answer within ${ms} ms while ${what}.`);
  });
}
