import type { Shutdown } from '../create-shutdown.js';
import type { Deps } from '../deps.js';
import { ensureIndexesWhenReachable } from '../mongo/ensure-indexes.js';
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
