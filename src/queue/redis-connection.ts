import { Redis } from 'ioredis';

/**
 * `command` connections serve producers and health checks: with no offline queue a call fails at once
 * while Redis is down, so a user gets an error instead of a hang. `worker` connections must wait out an
 * outage instead (BullMQ requires `maxRetriesPerRequest: null` for its blocking commands).
 */
export type RedisPurpose = 'command' | 'worker';

export function createRedisConnection(url: string, purpose: RedisPurpose): Redis {
  if (purpose === 'worker') return new Redis(url, { maxRetriesPerRequest: null });
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}
