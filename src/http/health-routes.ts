import { checkReadiness, type ReadinessStores } from './check-readiness.js';
import { type Routes, sendJson } from './create-http-server.js';

/** Liveness says the process answers; readiness says it can do its job (Redis and MongoDB answer). */
export function healthRoutes(stores: ReadinessStores, started: () => boolean = () => true): Routes {
  return {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    'GET /readyz': async (_req, res) => {
      const stored = await checkReadiness(stores);
      // Ready means every route takes requests: not before the unique indexes exist and Slack's side is up.
      const readiness = started()
        ? stored
        : { ready: false, checks: { ...stored.checks, startup: 'error: still starting (creating indexes)' } };
      sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not_ready', ...readiness });
    },
  };
}
