import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { isRedisUnreachable, redisAddress } from '../queue/redis-outage-log.js';
import { withTimeLimit } from '../time-limit.js';

export type CheckResult = 'ok' | `error: ${string}`;
export type Readiness = { ready: boolean; checks: { redis: CheckResult; mongo: CheckResult } };

/** What readiness probes, and where each store is (for the words of a failed check; never its credentials). */
export type ReadinessStores = { redis: Redis; db: Db; config?: { redisUrl: string; mongoUrl: string } };

/** Asks each store for a real round trip; a store that does not answer within `timeoutMs` is not ready. */
export async function checkReadiness(stores: ReadinessStores, timeoutMs = 2_000): Promise<Readiness> {
  const [redis, mongo] = await Promise.all([
    probe(
      () => stores.redis.ping(),
      timeoutMs,
      (err) =>
        isRedisUnreachable(err) ? `Redis is unreachable at ${redisAddress(stores.config?.redisUrl ?? '')}` : undefined,
    ),
    probe(
      () => stores.db.command({ ping: 1 }),
      timeoutMs,
      (err) =>
        isMongoUnreachable(err)
          ? `MongoDB is unreachable at ${mongoAddress(stores.config?.mongoUrl ?? '')}`
          : undefined,
    ),
  ]);
  return { ready: redis === 'ok' && mongo === 'ok', checks: { redis, mongo } };
}

async function probe(
  call: () => Promise<unknown>,
  timeoutMs: number,
  words: (err: unknown) => string | undefined,
): Promise<CheckResult> {
  try {
    await withTimeLimit(call(), timeoutMs, () => {
      throw new Error(`no answer within ${timeoutMs} ms`);
    });
    return 'ok';
  } catch (err) {
    return `error: ${words(err) ?? (err instanceof Error ? err.message : String(err))}`;
  }
}

const MONGO_UNREACHABLE =
  /Topology is closed|Server selection timed out|ECONNREFUSED|connection .* closed|no answer within/i;

function isMongoUnreachable(err: unknown): boolean {
  const { name, message } = (err ?? {}) as { name?: string; message?: string };
  return (
    name === 'MongoServerSelectionError' || name === 'MongoTopologyClosedError' || MONGO_UNREACHABLE.test(message ?? '')
  );
}

/** `mongodb://host:port` of a MongoDB URL (a replica set's several hosts too), without credentials or options. */
function mongoAddress(url: string): string {
  const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url)?.[1];
  return hosts ? `mongodb://${hosts}` : 'the configured MONGO_URL';
}
