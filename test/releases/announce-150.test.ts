import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import type { SlackCall } from '../support/slack-fake.js';
import { startSlackHarness, WEBHOOK_SECRET } from '../support/slack-harness.js';

// The end-to-end run: the simulator sends signed webhooks (each release twice, create and update, at
// once so they may cross) for three of five apps while the poller reads all five every half second, so every
// release reaches us several times from both sources. The pace is a tenth of Slack's (one message a second per
// channel) so the run proves ordering and exactly-once quickly; announce-pace.test.ts proves the real pace.
const APPS = ['fleet-api', 'fleet-web', 'fleet-worker', 'fleet-admin', 'fleet-docs'];
const CHANNELS = ['C0ALPHA', 'C0BRAVO', 'C0CHARLIE'];
const ROUNDS = 10;
const PACE_MS = 100;

let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('announce150');
  // Two senders on one queue, as with two worker processes; the channel's lease and pace hold across them.
  await s.startAnnouncing({ intervalMs: PACE_MS, pollMs: 500, webhookTrustedForMs: 0 });
  await s.startAnnouncing({ intervalMs: PACE_MS });
}, 60_000);
afterAll(() => s?.stop());

async function run(text: string, channelId: string) {
  const sent = await s.slack.command(text, 'U0ANA', { channel_id: channelId });
  expect(sent.status).toBe(200);
  return waitFor(`the answer to "${text}"`, () => s.fake.responsesTo(sent.id)[0] as { text: string } | undefined);
}

const versionOf = (call: SlackCall) => {
  const [, app, version] = /^:package: \*([a-z-]+)\* v(\d+) /.exec(String(call.params.text)) ?? [];
  return { app: String(app), version: Number(version) };
};

describe('announcing 50 releases of 5 apps in 3 channels', () => {
  it('posts exactly 150 lines, each once, each app in version order, never faster than the pace a channel', async () => {
    for (const app of APPS) await s.h.control.addApp(app);
    await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET, APPS.slice(0, 3));
    for (const channel of CHANNELS) {
      for (const app of APPS) expect((await run(`notify ${app} <#${channel}|x>`, channel)).text).toContain(app);
    }
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      for (const app of APPS) await s.h.control.deploy(app, `Change ${round} of ${app}`);
    }

    const announcements = s.h.deps.db.collection('announcements');
    await waitFor(
      'every line and its thread',
      async () => ((await announcements.countDocuments({ state: 'done' })) === 150 ? true : undefined),
      240_000,
    );
    const tookMs = Date.now() - started;
    const sent = s.fake.callsTo('chat.postMessage').filter((c) => !c.failed);
    const lines = sent.filter((c) => !c.params.thread_ts);
    const replies = sent.filter((c) => c.params.thread_ts);
    expect(lines).toHaveLength(150);
    expect(replies).toHaveLength(150);
    expect(await announcements.countDocuments()).toBe(150);

    const rates: string[] = [];
    for (const channel of CHANNELS) {
      const inChannel = lines.filter((c) => c.params.channel === channel).map(versionOf);
      // Every release of every app once, v2..v11 (v1 was there before the subscription).
      expect(new Set(inChannel.map((r) => `${r.app} v${r.version}`)).size).toBe(50);
      for (const app of APPS) {
        const versions = inChannel.filter((r) => r.app === app).map((r) => r.version);
        expect(versions).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 2));
      }
      // The pace counts every message in the channel, thread replies included.
      const times = sent.filter((c) => c.params.channel === channel).map((c) => c.at);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(PACE_MS * 0.99);
      const perSecond = ((times.length - 1) * 1_000) / ((times.at(-1) ?? 0) - (times[0] ?? 0));
      rates.push(`${channel}: ${times.length} messages, ${perSecond.toFixed(2)}/s, closest ${Math.min(...gaps)} ms`);
    }
    // Every line's details are in that line's thread, once.
    const deliveries = s.h.sim.webhooks.deliveries().filter((d) => APPS.includes(d.app)).length;
    console.log(
      `150 announcements in ${(tookMs / 1000).toFixed(1)} s; ${deliveries} webhook deliveries; ${rates.join('; ')}`,
    );
    const docs = await announcements.find({}).toArray();
    expect(new Set(replies.map((r) => `${r.params.channel}:${r.params.thread_ts}`))).toEqual(
      new Set(docs.map((d) => `${d.channelId}:${d.ts}`)),
    );
  }, 300_000);
});
