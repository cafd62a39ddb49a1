import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { ANNOUNCE_INTERVAL_MS } from '../../src/queue/start-workers.js';
import { startSlackHarness, WEBHOOK_SECRET } from '../support/slack-harness.js';

// Slack takes about one message a second in a channel: at the production pace, a burst of releases goes out
// no faster than that, thread replies included. (announce-150.test.ts proves order and exactly-once, faster.)
const APP = 'pace-api';
const CHANNEL = 'C0PACE';
const DEPLOYS = 3;

let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('announcepace');
  await s.startAnnouncing({ intervalMs: ANNOUNCE_INTERVAL_MS });
}, 60_000);
afterAll(() => s?.stop());

describe('the announcement pace', () => {
  it('sends a burst at one message a second in a channel, counting the thread replies', async () => {
    await s.h.control.addApp(APP);
    await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET, [APP]);
    const sent = await s.slack.command(`notify ${APP} <#${CHANNEL}|pace>`, 'U0ANA', { channel_id: CHANNEL });
    await waitFor('the notify answer', () => s.fake.responsesTo(sent.id)[0]);
    for (let i = 0; i < DEPLOYS; i++) await s.h.control.deploy(APP, `Change ${i}`);

    const messages = () => s.fake.callsTo('chat.postMessage').filter((c) => !c.failed && c.params.channel === CHANNEL);
    await waitFor(
      'a line and a thread reply a release',
      () => (messages().length === DEPLOYS * 2 ? true : undefined),
      30_000,
    );
    const times = messages().map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    expect(ANNOUNCE_INTERVAL_MS).toBe(1_000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(990);
  }, 60_000);
});
