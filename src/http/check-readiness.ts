import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { withTimeLimit } from '../time-limit.js';

export type CheckResult = 'ok' | `error: ${string}`;
export type Readiness = { ready: boolean; checks: { redis: CheckResult; mongo: CheckResult } };

/** Asks each store for a real round trip; a store that does not answer within `timeoutMs` is not ready. */
export async function checkReadiness(stores: { redis: Redis; db: Db }, timeoutMs = 2_000): Promise<Readiness> {
  const [redis, mongo] = await Promise.all([
    probe(() => stores.redis.ping(), timeoutMs),
    probe(() => stores.db.command({ ping: 1 }), timeoutMs),
  ]);
  return { ready: redis === 'ok' && mongo === 'ok', checks: { redis, mongo } };
}

async function probe(call: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeLimit(call(), timeoutMs, () => {
      throw new Error(`no answer within ${timeoutMs} ms`);
    });
    return 'ok';
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}
