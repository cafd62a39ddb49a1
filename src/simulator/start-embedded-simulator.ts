import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../create-logger.js';
import { applySeed, loadSeed } from './sim-seed.js';
import { createSimState } from './sim-state.js';
import { startSimulator } from './start-simulator.js';

/** The seed's team pipeline; from src/ or dist/ alike, the seeds folder is one level up. */
const TEAM_SEED = fileURLToPath(new URL('../../seeds/team-pipeline.yml', import.meta.url));

/**
 * PLATFORM=simulator: a simulated platform inside this process, on a loopback port, seeded with the team
 * pipeline, so the bot runs end to end with nothing reaching Heroku. Each process gets its own world: run the
 * `all` role when using it.
 */
export async function startEmbeddedSimulator(logger: Logger) {
  const state = createSimState();
  applySeed(state, await loadSeed(TEAM_SEED));
  const token = randomUUID();
  const simulator = await startSimulator({ token, state });
  logger.warn({ url: simulator.url }, 'platform: embedded SIMULATOR running; nothing reaches Heroku');
  return {
    url: simulator.url,
    token,
    close: simulator.close,
    /** Sends its releases to our own webhook route, as a Heroku app webhook would. */
    sendWebhooksTo: (url: string, secret: string) => simulator.webhooks.subscribe({ url, secret }),
  };
}
