import type { RequestListener, Server } from 'node:http';
import type { Deps } from '../deps.js';
import { receiveWebhookRelease } from '../releases/receive-webhook-release.js';
import { createHttpServer, listen, type Routes, sendJson } from './create-http-server.js';
import { healthRoutes } from './health-routes.js';
import { herokuWebhookRoutes } from './heroku-webhook-route.js';

export type WebRole = { port: number; close(): Promise<void> };

export type WebOptions = {
  /** Bolt's listener for POST /slack/events (HTTP mode). */
  slack?: RequestListener;
  /**
   * False until MongoDB's unique indexes exist: routes that write answer 503 before then (Slack and Heroku
   * both retry), since the indexes are what keep a retried delivery from being stored twice.
   */
  ready?: () => boolean;
};

export async function startWeb(
  deps: Pick<Deps, 'config' | 'logger' | 'redis' | 'db' | 'announcing' | 'promotionService'>,
  options: WebOptions = {},
): Promise<WebRole> {
  const ready = options.ready ?? (() => true);
  const webhooks = herokuWebhookRoutes({
    secret: deps.config.platform.herokuWebhookSecret,
    receive: async (release, slugId) => {
      await receiveWebhookRelease(deps.announcing, release);
      // Without its build named, a deploy cannot be told from a config change: the watcher will look.
      if (slugId) await deps.promotionService.learnRelease(release.app, { ...release, slugId });
    },
  });
  const slack = options.slack;
  const server = createHttpServer({
    routes: { ...healthRoutes(deps), ...whenReady(webhooks, ready) },
    logger: deps.logger,
    fallback: slack && ((req, res) => (ready() ? slack(req, res) : void res.writeHead(503).end())),
  });
  const port = await listen(server, deps.config.port);
  deps.logger.info({ port }, 'web: listening');
  return { port, close: () => closeServer(server) };
}

function whenReady(routes: Routes, ready: () => boolean): Routes {
  return Object.fromEntries(
    Object.entries(routes).map(([route, handle]) => [
      route,
      (req, res) =>
        ready() ? handle(req, res) : sendJson(res, 503, { error: 'starting', message: 'Starting up; retry shortly.' }),
    ]),
  );
}

async function closeServer(server: Server): Promise<void> {
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  server.closeIdleConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
