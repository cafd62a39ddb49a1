import { createShutdown } from '../../src/create-shutdown.js';
import { startAnnouncementWorker } from '../../src/queue/announcement-queue.js';
import { closeWorker } from '../../src/queue/close-worker.js';
import { startEventsWorker } from '../../src/queue/promotion-engine.js';
import { startMaintenance } from '../../src/queue/start-maintenance.js';
import { pollReleases } from '../../src/releases/poll-releases.js';
import { startWebRole } from '../../src/roles/web.js';
import { signWebhook } from '../../src/simulator/sim-webhooks.js';
import { createAnnouncementSender } from '../../src/slack/announcement-sender.js';
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
  const fake: SlackFake = await startSlackFake({ groups: { S0SRE: ['U0SRE1', 'U0SRE2'] } });
  const h: Harness = await startHarness(label, {
    realTime: true,
    env: { SLACK_API_URL: fake.api, HEROKU_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  const { config, cards } = h.deps;
  // The web role exactly as production starts it, on the same composition root.
  const shutdown = createShutdown(h.deps.logger, 10_000);
  const web = await startWebRole(h.deps, shutdown);
  await web.ready();
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
      await shutdown.run('the test is over');
      await fake.close();
      await h.stop();
    },
  };
}
