import { createLogger } from '../../src/create-logger.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { ensureIndexes } from '../../src/mongo/ensure-indexes.js';
import { type TestEnv, testEnv } from './test-env.js';

export type TestClock = { now(): Date; advance(ms: number): void };

/** A clock that only moves when told to, so times in assertions are exact. */
export function testClock(start = '2026-11-26T10:00:00Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The real composition root on this file's database and queue prefix, with indexes created as at boot. */
export async function startTestDeps(
  label: string,
  clock = testClock(),
): Promise<{
  env: TestEnv;
  deps: Deps;
  clock: TestClock;
  stop(): Promise<void>;
}> {
  const env = testEnv(label);
  const deps = createDeps(env.config(), createLogger('silent'), { queuePrefix: env.queuePrefix, now: clock.now });
  await ensureIndexes(deps.db);
  return {
    env,
    deps,
    clock,
    stop: async () => {
      await env.cleanup();
      await deps.close();
    },
  };
}
