import { startWeb, type WebRole } from '../../src/http/start-web.js';
import { startEventsWorker } from '../../src/queue/promotion-engine.js';
import { createCardPublisher } from '../../src/slack/card-publisher.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { createSlackClient } from '../../src/slack/create-slack-client.js';
import { type Harness, startHarness } from './promotion-harness.js';
import { type SlackFake, startSlackFake } from './slack-fake.js';
import { slackDriver } from './slack-signer.js';

export const SIGNING_SECRET = 'test-signing-secret';

/**
 * The whole bot as Slack sees it: the real Bolt app over signed HTTP, its Web API calls going to a fake Slack,
 * a promotion worker and the card-updating events consumer, on real Redis, FerretDB and the simulator.
 */
export async function startSlackHarness(label: string) {
  const h: Harness = await startHarness(label, { realTime: true });
  const fake: SlackFake = await startSlackFake({ groups: { S0SRE: ['U0SRE1', 'U0SRE2'] } });
  const config = { ...h.deps.config, slack: { ...h.deps.config.slack, apiUrl: fake.api } };
  const client = createSlackClient(config, { retries: 0 });
  const cards = createCardPublisher({ client, db: h.deps.db, ...h.deps.stores, logger: h.deps.logger });
  const app = createSlackApp(
    { ...h.deps, ...h.deps.ports, audit: h.deps.stores.audit, promotionStore: h.deps.stores.promotions, cards, config },
    { retries: 0 },
  );
  const web: WebRole = await startWeb(h.deps, app.requestListener);
  h.startWorker();
  const events = startEventsWorker(h.deps.queueDeps, (event) => cards.refresh(event.promotionId));
  const driver = slackDriver({
    url: `http://127.0.0.1:${web.port}`,
    secret: SIGNING_SECRET,
    responseUrl: fake.responseUrl,
  });
  return {
    h,
    fake,
    slack: driver,
    stop: async () => {
      await events.close();
      await web.close();
      await fake.close();
      await h.stop();
    },
  };
}
