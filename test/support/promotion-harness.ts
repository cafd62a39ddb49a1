import type { Worker } from 'bullmq';
import type { Actor } from '../../src/actor.js';
import type { LogLevel } from '../../src/config.js';
import { createLogger } from '../../src/create-logger.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { ensureIndexes } from '../../src/mongo/ensure-indexes.js';
import { createGithubCodeHost } from '../../src/platform/github-code-host.js';
import { createHerokuPlatform } from '../../src/platform/heroku-platform.js';
import type { ApproverDirectory } from '../../src/promotions/approver-directory.js';
import { isTerminal, type Promotion } from '../../src/promotions/promotion.js';
import type { PromotionEvent } from '../../src/promotions/promotion-events.js';
import { closeWorker } from '../../src/queue/close-worker.js';
import { startEventsWorker, startPromotionWorker } from '../../src/queue/promotion-engine.js';
import { applySeed, loadSeed } from '../../src/simulator/sim-seed.js';
import { createSimState } from '../../src/simulator/sim-state.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { simControl } from './sim-control.js';
import { type TestClock, testClock } from './test-deps.js';
import { type TestEnv, testEnv } from './test-env.js';
import { TEST_TIMINGS } from './test-timings.js';

export const SIM_TOKEN = 'engine-token';

/** Slack user groups as a fixed table: the Slack app's directory is its production counterpart. */
export const groups: ApproverDirectory = {
  isInAnyGroup: async (_team, userId, groupIds) => groupIds.includes('S0SRE') && ['U0SRE1', 'U0SRE2'].includes(userId),
};

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * Real Redis, FerretDB and the simulator (seeded with the team pipeline), the real composition root, and the
 * seed's links: jim-dev and kim-dev → staging → myapp. Workers start on demand, in this process or another.
 */
export async function startHarness(
  label: string,
  options: {
    clock?: TestClock;
    realTime?: boolean;
    redisUrl?: string;
    queuePrefix?: string;
    /** Variables over the test config's (Slack's API URL, the webhook secret). */
    env?: Record<string, string>;
  } = {},
) {
  const state = createSimState();
  applySeed(state, await loadSeed('seeds/team-pipeline.yml'));
  const sim: Simulator = await startSimulator({ token: SIM_TOKEN, state });
  const env: TestEnv = testEnv(label);
  const clock = options.clock ?? testClock();
  const deps: Deps = createDeps(
    env.config({ ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}), ...options.env }),
    // TEST_LOG_LEVEL=warn shows what the bot logs while a test runs.
    createLogger((process.env.TEST_LOG_LEVEL as LogLevel | undefined) ?? 'silent'),
    {
      // 'production': the prefix the program derives itself (from the database), as a process started bare has.
      queuePrefix: options.queuePrefix === 'production' ? undefined : (options.queuePrefix ?? env.queuePrefix),
      now: options.realTime ? undefined : clock.now,
      timings: TEST_TIMINGS,
      approvers: groups,
      // A failing fake Slack must fail a call at once, not after the client's retries.
      slackRetries: 0,
      ports: {
        platform: createHerokuPlatform({ baseUrl: sim.url, token: SIM_TOKEN, timeoutMs: 2_000 }),
        codeHost: createGithubCodeHost({ apiUrl: `${sim.url}/github`, token: SIM_TOKEN }),
      },
    },
  );
  await ensureIndexes(deps.db);
  const ana: Actor = { teamId: 'T0ACME', userId: 'U0ANA' };
  for (const [up, down] of [
    ['myapp-staging', 'myapp'],
    ['myapp-jim-dev', 'myapp-staging'],
    ['myapp-kim-dev', 'myapp-staging'],
  ]) {
    await deps.pipelines.addLink(ana, up as string, down as string);
  }
  for (const app of ['myapp', 'myapp-staging']) await deps.appSettings.setRepo(ana, app, 'acme/myapp');
  const workers: Worker[] = [];
  const events: PromotionEvent[] = [];
  return {
    sim,
    control: simControl(sim.url),
    env,
    deps,
    clock,
    events,
    actor: (userId: string): Actor => ({ teamId: 'T0ACME', userId }),
    /** Starts an in-process promotion worker (call several times for several). */
    startWorker: () => {
      const worker = startPromotionWorker(deps.queueDeps, deps.engine, TEST_TIMINGS);
      workers.push(worker);
      return worker;
    },
    collectEvents: () => void workers.push(startEventsWorker(deps.queueDeps, async (e) => void events.push(e))),
    releasesOf: (app: string) => state.releasesOf(app),
    /** Waits until the request has ended (succeeded, failed, …) and returns it. */
    settle: (p: Promotion, timeoutMs = 30_000) =>
      waitFor(
        `${p.id} to finish`,
        async () => {
          const now = await deps.promotionService.get(p.teamId, p.id);
          return isTerminal(now.state) ? now : undefined;
        },
        timeoutMs,
      ),
    stop: async () => {
      await Promise.all(workers.map((w) => closeWorker(w, 5_000)));
      await deps.close();
      await sim.close();
      await env.cleanup();
    },
  };
}
