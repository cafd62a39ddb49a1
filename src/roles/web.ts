import type { Shutdown } from '../create-shutdown.js';
import type { Deps } from '../deps.js';
import { startWeb } from '../http/start-web.js';
import { createSlackApp } from '../slack/create-slack-app.js';
import type { EmbeddedSimulator } from './embedded-simulator.js';

export type WebRole = {
  port: number;
  /** Call once MongoDB's unique indexes exist: routes that write answer 503 until then. */
  ready(): Promise<void>;
};

/**
 * The web role: Slack's requests (HTTP, or Socket Mode once ready) and the HTTP routes. Health routes answer from
 * the start, so an orchestrator sees a live process while MongoDB is still coming up.
 */
export async function startWebRole(deps: Deps, shutdown: Shutdown, simulator?: EmbeddedSimulator): Promise<WebRole> {
  const slack = createSlackApp(
    {
      ...deps,
      ...deps.ports,
      audit: deps.stores.audit,
      promotionStore: deps.stores.promotions,
      apps: deps.stores.apps,
    },
    { retries: deps.slackRetries },
  );
  let indexed = false;
  const web = await startWeb(deps, { slack: slack.requestListener, ready: () => indexed });
  shutdown.add('web', web.close);
  const secret = deps.config.platform.herokuWebhookSecret;
  if (simulator && secret) simulator.sendWebhooksTo(`http://127.0.0.1:${web.port}/webhooks/heroku`, secret);
  return {
    port: web.port,
    ready: async () => {
      indexed = true;
      await slack.start();
      shutdown.add('slack', slack.stop);
    },
  };
}
