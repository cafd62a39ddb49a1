import type { RequestListener, Server } from 'node:http';
import type { Deps } from '../deps.js';
import { createHttpServer, listen } from './create-http-server.js';
import { healthRoutes } from './health-routes.js';

export type WebRole = { port: number; close(): Promise<void> };

/** `slack`: Bolt's listener for POST /slack/events (HTTP mode). */
export async function startWeb(
  deps: Pick<Deps, 'config' | 'logger' | 'redis' | 'db'>,
  slack?: RequestListener,
): Promise<WebRole> {
  const server = createHttpServer({ routes: { ...healthRoutes(deps) }, logger: deps.logger, fallback: slack });
  const port = await listen(server, deps.config.port);
  deps.logger.info({ port }, 'web: listening');
  return { port, close: () => closeServer(server) };
}

async function closeServer(server: Server): Promise<void> {
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  server.closeIdleConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
