import { fileURLToPath } from 'node:url';
import type { Logger } from '../create-logger.js';
import { applySeed, loadSeed } from './sim-seed.js';
import { createSimState } from './sim-state.js';
import { SIMULATOR_PORT, SIMULATOR_TOKEN } from './simulator-defaults.js';
import { startSimulator } from './start-simulator.js';

/** The seed's team pipeline; from src/ or dist/ alike, the seeds folder is one level up. */
export const TEAM_SEED = fileURLToPath(new URL('../../seeds/team-pipeline.yml', import.meta.url));

/**
 * PLATFORM=simulator in role `all`: a simulated platform inside this process, seeded with the team pipeline, so
 * the bot runs end to end with nothing reaching Heroku. It takes the standalone simulator's port and token when
 * the port is free, so `curl` and the README's examples reach it; another free port otherwise.
 */
export async function startEmbeddedSimulator(logger: Logger) {
  const state = createSimState();
  applySeed(state, await loadSeed(TEAM_SEED));
  const token = SIMULATOR_TOKEN;
  const simulator = await startSimulator({ port: SIMULATOR_PORT, token, state }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    logger.warn({ port: SIMULATOR_PORT }, 'platform: the simulator port is taken; the embedded one takes another');
    return startSimulator({ token, state });
  });
  logger.warn({ url: simulator.url }, 'platform: embedded SIMULATOR running; nothing reaches Heroku');
  return {
    url: simulator.url,
    token,
    close: simulator.close,
    /** Sends its releases to our own webhook route, as a Heroku app webhook would. */
    sendWebhooksTo: (url: string, secret: string) => simulator.webhooks.subscribe({ url, secret }),
  };
}
