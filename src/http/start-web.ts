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
    routes: { ...healthRoutes(deps, ready), ...whenReady(webhooks, ready) },
    logger: deps.logger,
    fallback: slack && slackWhenReady(slack, ready),
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

/**
 * Slack does not retry a slash command or a click, so a request that arrives while the bot is still starting
 * waits for it (a few seconds: Slack gives three for the ack), then is answered rather than dropped.
 */
function slackWhenReady(slack: RequestListener, ready: () => boolean): RequestListener {
  return async (req, res) => {
    for (let waited = 0; !ready() && waited < SLACK_WAIT_MS; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (ready()) return slack(req, res);
    sendJson(res, 200, {
      response_type: 'ephemeral',
      text: 'pipeline-bot is still starting and cannot reach its database yet; nothing was changed. Try again in a minute.',
    });
  };
}

const SLACK_WAIT_MS = 2_500;

async function closeServer(server: Server): Promise<void> {
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  server.closeIdleConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
