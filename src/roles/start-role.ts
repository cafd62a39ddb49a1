import type { Config } from '../config.js';
import type { Logger } from '../create-logger.js';
import type { Shutdown } from '../create-shutdown.js';
import { createDeps, type Deps } from '../deps.js';
import { ensureIndexesWhenReachable } from '../mongo/ensure-indexes.js';
import { platformFromConfig } from '../platform/platform-from-config.js';
import { startEmbeddedSimulator } from '../simulator/start-embedded-simulator.js';
import type { EmbeddedSimulator } from './embedded-simulator.js';
import { startWebRole } from './web.js';
import { startWorkerRole } from './worker.js';

/**
 * One process's role: `web`, `worker`, or `all` (both). The web side listens first; everything that writes
 * starts once the unique indexes, which guard the invariants, exist. Resolves when started (or stopped while
 * waiting for MongoDB).
 */
export async function startRole(
  deps: Deps,
  shutdown: Shutdown,
  options: { simulator?: EmbeddedSimulator; stopping: AbortSignal },
): Promise<void> {
  const { role } = deps.config;
  const web = role === 'worker' ? undefined : await startWebRole(deps, shutdown, options.simulator);
  if (!(await ensureIndexesWhenReachable(deps.db, deps.logger, options.stopping))) return;
  await web?.ready();
  if (role !== 'web') await startWorkerRole(deps, shutdown);
}

/**
 * The whole process for `config.role`: the embedded simulator when the platform is one (role `all` only), the
 * composition root, then the role. Each part registers its closing with `shutdown`, in the order it must close.
 */
export async function startProcess(config: Config, logger: Logger, shutdown: Shutdown): Promise<void> {
  const embedded = config.platform.kind === 'simulator' && !config.platform.simulatorUrl;
  const simulator = embedded ? await startEmbeddedSimulator(logger) : undefined;
  if (simulator) shutdown.add('simulator', simulator.close);
  const deps = createDeps(config, logger, { ports: platformFromConfig(config, simulator) });
  shutdown.add('connections', deps.close);
  // Stops waiting for MongoDB when a signal comes during the boot.
  const stopping = new AbortController();
  shutdown.add('boot', async () => stopping.abort());
  logger.info({ role: config.role, platform: config.platform.kind }, 'starting');
  await startRole(deps, shutdown, { simulator, stopping: stopping.signal });
}
