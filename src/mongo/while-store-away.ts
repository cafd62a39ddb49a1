import { isStoreUnreachable } from './store-unreachable.js';

/**
 * Runs `work` again while MongoDB is unreachable, for up to about `tries × waitMs` (20 s: a restart). For work
 * that must not stop half-way once begun (a request stored but not audited, a card posted but not placed);
 * `work` must be safe to repeat. Any other error, or an outage that lasts, is thrown.
 */
export async function whileStoreAway<T>(work: () => Promise<T>, tries = 10, waitMs = 2_000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= tries || !isStoreUnreachable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
