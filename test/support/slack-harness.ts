import { startWeb, type WebRole } from '../../src/http/start-web.js';
import { startAnnouncementWorker } from '../../src/queue/announcement-queue.js';
import { closeWorker } from '../../src/queue/close-worker.js';
import { startEventsWorker } from '../../src/queue/promotion-engine.js';
import { startMaintenance } from '../../src/queue/start-maintenance.js';
import { pollReleases } from '../../src/releases/poll-releases.js';
import { signWebhook } from '../../src/simulator/sim-webhooks.js';
import { createAnnouncementSender } from '../../src/slack/announcement-sender.js';
import { createCardPublisher } from '../../src/slack/card-publisher.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { createSlackClient } from '../../src/slack/create-slack-client.js';
import { type Harness, startHarness } from './promotion-harness.js';
import { type SlackFake, startSlackFake } from './slack-fake.js';
import { slackDriver } from './slack-signer.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const WEBHOOK_SECRET = 'test-webhook-secret';

/**
 * The whole bot as Slack sees it: the real Bolt app over signed HTTP, its Web API calls going to a fake Slack,
 * a promotion worker and the card-updating events consumer, on real Redis, FerretDB and the simulator.
 */
export async function startSlackHarness(label: string) {
  const h: Harness = await startHarness(label, { realTime: true });
  const fake: SlackFake = await startSlackFake({ groups: { S0SRE: ['U0SRE1', 'U0SRE2'] } });
  const config = {
    ...h.deps.config,
    slack: { ...h.deps.config.slack, apiUrl: fake.api },
    platform: { ...h.deps.config.platform, herokuWebhookSecret: WEBHOOK_SECRET },
  };
  const client = createSlackClient(config, { retries: 0 });
  const cards = createCardPublisher({ client, db: h.deps.db, ...h.deps.stores, logger: h.deps.logger });
  const app = createSlackApp(
    { ...h.deps, ...h.deps.ports, audit: h.deps.stores.audit, promotionStore: h.deps.stores.promotions, cards, config },
    { retries: 0 },
  );
  const web: WebRole = await startWeb({ ...h.deps, config }, { slack: app.requestListener });
  const webUrl = `http://127.0.0.1:${web.port}`;
  h.startWorker();
  const events = startEventsWorker(h.deps.queueDeps, (event) => cards.refresh(event.promotionId));
  const driver = slackDriver({
    url: webUrl,
    secret: SIGNING_SECRET,
    responseUrl: fake.responseUrl,
  });
  const stopping: (() => Promise<void>)[] = [];
  return {
    h,
    fake,
    /** The cards as the bot posts them (through the fake), and where each one is. */
    cards,
    slack: driver,
    webhookUrl: `${webUrl}/webhooks/heroku`,
    /** POSTs a body to /webhooks/heroku, signed with `secret` (none: unsigned). */
    postWebhook: (body: string, secret: string | null = WEBHOOK_SECRET) =>
      fetch(`${webUrl}/webhooks/heroku`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'heroku-webhook-hmac-sha256': signWebhook(secret, body) }),
        },
        body,
      }),
    /**
     * The announcement senders (Slack's 429s rejected, as in production) and, with `pollMs`, the release
     * poller on its job scheduler.
     */
    startAnnouncing: async (options: { intervalMs: number; pollMs?: number; webhookTrustedForMs?: number }) => {
      const client = createSlackClient(config, { retries: 0, rejectRateLimitedCalls: true });
      const sender = createAnnouncementSender(client, cards.places);
      const worker = startAnnouncementWorker(h.deps.queueDeps, {
        ...h.deps.announcing,
        view: cards,
        sender,
        intervalMs: options.intervalMs,
      });
      stopping.push(async () => void (await closeWorker(worker, 5_000)));
      if (options.pollMs) {
        const deps = { ...h.deps.announcing, webhookTrustedForMs: options.webhookTrustedForMs };
        const poll = { everyMs: options.pollMs, run: () => pollReleases(deps) };
        const poller = await startMaintenance(h.deps.queueDeps, { 'poll-releases': poll }, h.deps.logger);
        stopping.push(() => poller.close(5_000));
      }
    },
    stop: async () => {
      await Promise.all(stopping.map((stop) => stop()));
      await events.close();
      await web.close();
      await fake.close();
      await h.stop();
    },
  };
}
