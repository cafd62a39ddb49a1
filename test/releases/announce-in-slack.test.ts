import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from '../../src/http/start-web.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import type { Release } from '../../src/platform/platform.js';
import { ingestReleases } from '../../src/releases/ingest-releases.js';
import { pollReleases, WEBHOOK_SAFETY_NET_MS } from '../../src/releases/poll-releases.js';
import { wakeAnnouncers } from '../../src/releases/wake-announcers.js';
import type { SlackFake } from '../support/slack-fake.js';
import { startSlackHarness, WEBHOOK_SECRET } from '../support/slack-harness.js';

// End to end: signed slash commands and signed platform webhooks into the real web role, the announcement
// senders on real Redis and FerretDB, their messages going to a fake Slack.
let s: Awaited<ReturnType<typeof startSlackHarness>>;
let fake: SlackFake;

beforeAll(async () => {
  s = await startSlackHarness('announce');
  fake = s.fake;
  await s.startAnnouncing({ intervalMs: 100 });
}, 60_000);
afterAll(() => s?.stop());

/** `/pipeline text` typed in `channelId`; waits for the answer. */
async function run(text: string, channelId = 'C0DEPLOY', userId = 'U0ANA') {
  const sent = await s.slack.command(text, userId, { channel_id: channelId });
  expect(sent.status).toBe(200);
  return waitFor(
    `the answer to "${text}"`,
    () => fake.responsesTo(sent.id)[0] as { response_type: string; text: string } | undefined,
  );
}

const posts = (channel: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && !c.params.thread_ts);
const posted = (channel: string) => posts(channel).filter((c) => !c.failed);
const lineOf = (channel: string, app: string, version: number) =>
  posted(channel).find((c) => String(c.params.text).includes(`*${app}* v${version} `));
const waitForLine = (channel: string, app: string, version: number, timeoutMs = 15_000) =>
  waitFor(`${app} v${version} in ${channel}`, () => lineOf(channel, app, version), timeoutMs);
const subscriptions = () => s.h.deps.db.collection('subscriptions');
const announcements = () => s.h.deps.db.collection('announcements');

async function deploy(app: string, message = 'A change') {
  return s.h.control.deploy(app, message);
}

/** A release event as Heroku sends it, for a release the simulator made. */
async function releaseEvent(app: string, version: number, action = 'update') {
  const release = (await s.h.deps.ports.platform.listReleases(app, { limit: 50 })).find((r) => r.version === version);
  if (!release) throw new Error(`no v${version} of ${app}`);
  return JSON.stringify({
    id: `evt-${app}-${version}-${action}`,
    action,
    resource: 'release',
    data: {
      id: release.id,
      version,
      description: release.description,
      status: 'succeeded',
      current: true,
      created_at: release.createdAt.toISOString(),
      app: { name: app },
      user: { email: release.userEmail },
    },
  });
}

describe('/pipeline notify and mute', () => {
  it("announces an app's later releases here: one line, its details in the line's thread, once per release", async () => {
    await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET, ['myapp-staging']);
    const before = (await s.h.deps.ports.platform.listReleases('myapp-staging', { limit: 1 }))[0]?.version ?? 0;
    const answer = await run('notify myapp-staging');
    expect(answer).toEqual({
      response_type: 'in_channel',
      text: `:loudspeaker: <@U0ANA> asked for myapp-staging's releases after v${before} to be announced in <#C0DEPLOY>. \`/pipeline mute myapp-staging\` stops them.`,
    });
    const made = await deploy('myapp-staging', 'Add the audit log');
    const line = await waitForLine('C0DEPLOY', 'myapp-staging', made.release.version);
    expect(String(line.params.text)).toMatch(
      new RegExp(`^:package: \\*myapp-staging\\* v${made.release.version} · Deploy ${made.slug.commit.slice(0, 7)} · `),
    );
    const doc = await waitFor('the details in the thread', async () => {
      const a = await announcements().findOne({ releaseId: made.release.id, channelId: 'C0DEPLOY' });
      return a?.state === 'done' ? a : undefined;
    });
    const thread = fake.callsTo('chat.postMessage').filter((c) => c.params.thread_ts === doc.ts);
    expect(thread).toHaveLength(1);
    expect(String(thread[0]?.params.text)).toContain(`\`${made.slug.commit.slice(0, 7)}\`>: Add the audit log`);
    // The webhook came twice (create, then update): one line.
    expect(posted('C0DEPLOY').filter((c) => String(c.params.text).includes(`v${made.release.version} `))).toHaveLength(
      1,
    );
    expect(lineOf('C0DEPLOY', 'myapp-staging', before)).toBeUndefined();
  });

  it('shows which channels hear each app, says when nothing changes, and stops on mute', async () => {
    await run('notify myapp-staging <#C0OPS|ops>');
    expect((await run('show myapp-staging')).text).toContain(
      ':loudspeaker: myapp-staging is announced in <#C0DEPLOY>, <#C0OPS>',
    );
    expect((await run('notify myapp-staging')).text).toBe(
      "myapp-staging's new releases are already announced in <#C0DEPLOY>.",
    );
    const muted = await run('mute myapp-staging <#C0OPS|ops>');
    expect(muted).toEqual({
      response_type: 'in_channel',
      text: ":mute: <@U0ANA> stopped announcing myapp-staging's releases in <#C0OPS>.",
    });
    expect((await run('mute myapp-staging <#C0OPS|ops>')).text).toBe(
      "myapp-staging's releases were not being announced in <#C0OPS>.",
    );
    expect((await run('show myapp-staging')).text.split('\n')).toContain(
      ':loudspeaker: myapp-staging is announced in <#C0DEPLOY>',
    );
    const made = await deploy('myapp-staging');
    await waitForLine('C0DEPLOY', 'myapp-staging', made.release.version);
    expect(lineOf('C0OPS', 'myapp-staging', made.release.version)).toBeUndefined();
    expect(posts('C0OPS')).toHaveLength(0);
  });

  it('of several notifies at once, one turns announcing on and says so, the first time and after a mute', async () => {
    const ana = { teamId: 'T0ACME', userId: 'U0ANA' };
    const service = s.h.deps.subscriptionService;
    const notifyFiveAtOnce = () =>
      Promise.all(Array.from({ length: 5 }, () => service.notify(ana, 'myapp-staging', 'C0RACE', async () => 'ok')));
    expect((await notifyFiveAtOnce()).filter((r) => r.changed)).toHaveLength(1);
    await service.mute(ana, 'myapp-staging', 'C0RACE');
    expect((await notifyFiveAtOnce()).filter((r) => r.changed)).toHaveLength(1);
    const added = await s.h.deps.db
      .collection('audit')
      .countDocuments({ action: 'subscription.added', 'details.channelId': 'C0RACE' });
    expect(added).toBe(2);
  });

  it('refuses a direct message as the place to announce', async () => {
    const answer = await run('notify myapp', 'D0ANA');
    expect(answer.text).toMatch(/^Releases are announced in channels, not direct messages: name one \(#channel\)\./);
  });

  it('asks to be invited into a private channel it is not in, and stores nothing', async () => {
    fake.channels.set('G0SECRET', { hidden: true });
    fake.channels.set('G0QUIET', { is_private: true, is_member: false });
    const before = await subscriptions().countDocuments();
    for (const channel of ['<#G0SECRET|secret>', '<#G0QUIET|quiet>']) {
      const answer = await run(`notify myapp ${channel}`);
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toMatch(
        /^I cannot post in <#G0(SECRET|QUIET)>: it is private and I am not in it\. Invite me there \(\/invite @pipeline\), then run this again\.$/,
      );
    }
    expect(await subscriptions().countDocuments()).toBe(before);
  });

  it('refuses an app the platform does not have in so many words, and a mistyped channel with the usage', async () => {
    const unknown = await run('notify no-such-app');
    expect(unknown.text).toBe('There is no app named no-such-app on Heroku (or our token cannot see it).');
    expect((await run('notify myapp #deploys')).text).toMatch(/"#deploys" is not a channel.*Usage: \/pipeline notify/);
    expect(await subscriptions().countDocuments({ app: 'no-such-app' })).toBe(0);
  });
});

describe('POST /webhooks/heroku', () => {
  it('refuses an unsigned or wrongly signed delivery with 401 and announces nothing of it', async () => {
    await run('notify myapp-kim-dev <#C0FORGE|forge>');
    const forged = JSON.stringify({
      resource: 'release',
      action: 'update',
      data: {
        id: 'forged-release',
        version: 999,
        description: 'Deploy 6666666',
        status: 'succeeded',
        created_at: new Date().toISOString(),
        app: { name: 'myapp-kim-dev' },
        user: { email: 'mallory@evil.example' },
      },
    });
    const feedsBefore = await s.h.deps.db.collection('release_feeds').countDocuments({ _id: 'myapp-kim-dev' as never });
    for (const secret of [null, 'not-the-secret']) {
      const res = await s.postWebhook(forged, secret);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'invalid_signature' });
    }
    expect((await s.postWebhook(forged.replace('999', '998'), null)).status).toBe(401);
    // A real release afterwards goes through: the channel is served, and the forged one never was.
    const made = await deploy('myapp-kim-dev');
    expect((await s.postWebhook(await releaseEvent('myapp-kim-dev', made.release.version))).status).toBe(202);
    await waitForLine('C0FORGE', 'myapp-kim-dev', made.release.version);
    expect(await announcements().countDocuments({ releaseId: 'forged-release' })).toBe(0);
    // The forged deliveries did not mark the app as webhook-fed either (the real one after them did).
    expect(feedsBefore).toBe(0);
    expect(posts('C0FORGE').filter((c) => String(c.params.text).includes('v999'))).toHaveLength(0);
  });

  it('answers 400 to a signed body that is not a release event, and 202 to one it need not act on', async () => {
    expect((await s.postWebhook('{not json')).status).toBe(400);
    expect((await s.postWebhook(JSON.stringify({ resource: 'release', data: { version: 'x' } }))).status).toBe(400);
    const pending = await s.postWebhook((await releaseEvent('myapp-kim-dev', 1)).replace('"succeeded"', '"pending"'));
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ status: 'ignored', reason: 'release v1 is pending' });
  });

  it('refuses deliveries it cannot verify when no secret is configured (503), and oversized bodies (413)', async () => {
    const { config } = s.h.deps;
    const noSecret = { ...config, port: 0, platform: { ...config.platform, herokuWebhookSecret: undefined } };
    const unconfigured = await startWeb({ ...s.h.deps, config: noSecret });
    try {
      const res = await fetch(`http://127.0.0.1:${unconfigured.port}/webhooks/heroku`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'webhooks_not_configured' });
    } finally {
      await unconfigured.close();
    }
    const huge = JSON.stringify({ resource: 'release', padding: 'x'.repeat(300_000) });
    expect((await s.postWebhook(huge)).status).toBe(413);
  });

  it('announces a release delivered three times at once exactly once', async () => {
    await run('notify myapp-jim-dev <#C0DUP|dup>');
    const made = await deploy('myapp-jim-dev');
    const body = await releaseEvent('myapp-jim-dev', made.release.version);
    const answers = await Promise.all([1, 2, 3].map(() => s.postWebhook(body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    await waitForLine('C0DUP', 'myapp-jim-dev', made.release.version);
    await waitFor('its details', async () =>
      (await announcements().findOne({ releaseId: made.release.id }))?.state === 'done' ? true : undefined,
    );
    expect(posted('C0DUP')).toHaveLength(1);
    expect(await announcements().countDocuments({ releaseId: made.release.id })).toBe(1);
  });

  it('finds a release whose webhook never came before announcing the next one, and keeps version order', async () => {
    await s.h.control.addApp('gap-app');
    await run('notify gap-app <#C0GAP|gap>');
    const first = await deploy('gap-app', 'First');
    const second = await deploy('gap-app', 'Second');
    // Only the second release's webhook arrives.
    expect((await s.postWebhook(await releaseEvent('gap-app', second.release.version))).status).toBe(202);
    await waitForLine('C0GAP', 'gap-app', second.release.version);
    expect(posted('C0GAP').map((c) => String(c.params.text).match(/ v(\d+) /)?.[1])).toEqual([
      String(first.release.version),
      String(second.release.version),
    ]);
  });
});

describe("Heroku's own api:release samples (test/fixtures/heroku-webhook-events.json)", () => {
  const samples = JSON.parse(readFileSync(new URL('../fixtures/heroku-webhook-events.json', import.meta.url), 'utf8'));
  const verbatim = (name: 'api:release create' | 'api:release update') => JSON.stringify(samples[name]);

  it('acknowledges a failed release with no description without announcing it, and announces one that succeeded', async () => {
    await s.h.control.addApp('sample-app-0008');
    await s.h.control.addApp('sample-app-0339');
    await run('notify sample-app-0008 <#C0SAMPLE|sample>');
    await run('notify sample-app-0339 <#C0SAMPLE|sample>');
    const failed = await s.postWebhook(verbatim('api:release update'));
    expect(failed.status).toBe(202);
    expect(await failed.json()).toEqual({ status: 'ignored', reason: 'release v1 failed' });
    // The same release while it is still being made: acknowledged, not announced yet.
    const pending = structuredClone(samples['api:release create']);
    pending.data.status = 'pending';
    const held = await s.postWebhook(JSON.stringify(pending));
    expect(held.status).toBe(202);
    expect(await held.json()).toEqual({ status: 'ignored', reason: 'release v3 is pending' });
    const created = await s.postWebhook(verbatim('api:release create'));
    expect(created.status).toBe(202);
    await waitForLine('C0SAMPLE', 'sample-app-0339', 3);
    expect(String(lineOf('C0SAMPLE', 'sample-app-0339', 3)?.params.text)).toContain(
      'Update DATABASE by heroku-postgresql',
    );

    // The same release once it succeeded, still without a description (as Heroku allows): announced, once.
    const since = (await subscriptions().findOne({ app: 'sample-app-0008', channelId: 'C0SAMPLE' }))?.sinceVersion;
    const succeeded = structuredClone(samples['api:release update']);
    Object.assign(succeeded.data, { status: 'succeeded', version: since + 1, current: true });
    for (const action of ['create', 'update']) {
      expect((await s.postWebhook(JSON.stringify({ ...succeeded, action }))).status).toBe(202);
    }
    await waitForLine('C0SAMPLE', 'sample-app-0008', since + 1);
    expect(String(lineOf('C0SAMPLE', 'sample-app-0008', since + 1)?.params.text)).toContain('(no description)');
    expect(posted('C0SAMPLE').filter((c) => String(c.params.text).includes('sample-app-0008'))).toHaveLength(1);
  });

  it('answers 405 to a GET, naming the method it takes', async () => {
    const res = await fetch(s.webhookUrl);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });
});

describe('the poller', () => {
  it('reads the apps that have no webhook, leaves those that do to theirs, and looks at those once in a while', async () => {
    await s.h.control.addApp('quiet-app');
    await s.h.control.addApp('hooked-app');
    await run('notify quiet-app <#C0POLL|poll>');
    await run('notify hooked-app <#C0POLL|poll>');
    const hooked = await deploy('hooked-app', 'Told by its webhook');
    expect((await s.postWebhook(await releaseEvent('hooked-app', hooked.release.version))).status).toBe(202);
    await waitForLine('C0POLL', 'hooked-app', hooked.release.version);

    const quiet = await deploy('quiet-app', 'Nobody calls about this');
    // A release whose webhook is still on its way (or was lost) is not the poller's, this round.
    const lost = await deploy('hooked-app', 'Its webhook never comes');
    const poll = (msFromNow = 0) =>
      pollReleases({ ...s.h.deps.announcing, now: () => new Date(Date.now() + msFromNow) });
    const round = await poll();
    expect(round.leftToWebhooks).toBeGreaterThanOrEqual(1);
    await waitForLine('C0POLL', 'quiet-app', quiet.release.version);
    expect(await announcements().countDocuments({ releaseId: lost.release.id })).toBe(0);
    // Polling again finds nothing new: the line stays one.
    await poll();
    expect(await announcements().countDocuments({ releaseId: quiet.release.id })).toBe(1);
    // Ten minutes on, the safety net reads the webhook's app too and finds what its webhook never said.
    await poll(WEBHOOK_SAFETY_NET_MS + 1_000);
    await waitForLine('C0POLL', 'hooked-app', lost.release.version);
  });
});

describe('sending', () => {
  it('drops a message Slack refuses as it is, says why, and goes on with the next', async () => {
    await run('notify myapp-kim-dev <#C0REFUSE|refuse>');
    fake.fail('chat.postMessage', { error: 'msg_too_long', times: 1, channel: 'C0REFUSE' });
    const refused = await deploy('myapp-kim-dev');
    await s.postWebhook(await releaseEvent('myapp-kim-dev', refused.release.version));
    const next = await deploy('myapp-kim-dev');
    await s.postWebhook(await releaseEvent('myapp-kim-dev', next.release.version));
    await waitForLine('C0REFUSE', 'myapp-kim-dev', next.release.version);
    const dropped = await announcements().findOne({ releaseId: refused.release.id, channelId: 'C0REFUSE' });
    expect([dropped?.state, dropped?.droppedReason]).toEqual(['dropped', 'Slack refused it: msg_too_long']);
    expect((await run('history myapp-kim-dev')).text).toMatch(
      /pipeline-bot dropped an announcement of myapp-kim-dev in <#C0REFUSE>: Slack refused it: msg_too_long/,
    );
    expect((await subscriptions().findOne({ app: 'myapp-kim-dev', channelId: 'C0REFUSE' }))?.enabled).toBe(true);
  });

  it('gets past a long run of releases muted since they were queued', async () => {
    await s.h.control.addApp('noisy-app');
    await run('notify noisy-app <#C0BUSY|busy>');
    await run('notify myapp-kim-dev <#C0BUSY|busy>');
    const since = (await subscriptions().findOne({ app: 'noisy-app', channelId: 'C0BUSY' }))?.sinceVersion as number;
    const old = new Date(Date.now() - 3_600_000);
    const noise = Array.from({ length: 8 }, (_, i) => ({
      id: `noise-${i}`,
      app: 'noisy-app',
      version: since + 1 + i,
      description: `Set NOISE=${i} config vars`,
      userEmail: 'ops@acme.com',
      createdAt: old,
      commit: null,
      commitDescription: null,
    }));
    await ingestReleases(s.h.deps.announcing, noise, 'poll');
    // Turned off underneath them (as a channel-gone in another process would), not by /pipeline mute.
    await s.h.deps.stores.subscriptions.disable('T0ACME', 'noisy-app', 'C0BUSY', 'test', new Date());
    const made = await deploy('myapp-kim-dev');
    await s.postWebhook(await releaseEvent('myapp-kim-dev', made.release.version));
    await waitForLine('C0BUSY', 'myapp-kim-dev', made.release.version);
    expect(await announcements().countDocuments({ app: 'noisy-app', state: 'dropped' })).toBe(8);
    expect(posted('C0BUSY')).toHaveLength(1);
  });

  it('retries a send that Slack failed with 5xx, and posts it once', async () => {
    await run('notify myapp-kim-dev <#C0FLAKY|flaky>');
    fake.fail('chat.postMessage', { status: 500, times: 2, channel: 'C0FLAKY' });
    const made = await deploy('myapp-kim-dev');
    await s.postWebhook(await releaseEvent('myapp-kim-dev', made.release.version));
    await waitForLine('C0FLAKY', 'myapp-kim-dev', made.release.version);
    expect(posts('C0FLAKY').map((c) => c.failed ?? 'ok')).toEqual(['HTTP 500', 'HTTP 500', 'ok']);
  });

  it('wakes a channel whose send job was lost (say, with Redis) on the next sweep', async () => {
    await run('notify myapp-jim-dev <#C0LOST|lost>');
    const made = await deploy('myapp-jim-dev');
    const [release] = await s.h.deps.ports.platform.listReleases('myapp-jim-dev', { limit: 1 });
    // Stored without waking anyone, as when the queue was unreachable at the time.
    const stored = await ingestReleases(
      s.h.deps.announcing,
      [{ ...(release as Release), app: 'myapp-jim-dev', commit: null, commitDescription: null }],
      'webhook',
    );
    expect(stored.map((c) => c.channelId)).toContain('C0LOST');
    await wakeAnnouncers(s.h.deps.announcing);
    await waitForLine('C0LOST', 'myapp-jim-dev', made.release.version);
  });

  it("waits out Slack's Retry-After on a 429, then posts the line once", async () => {
    await run('notify myapp-kim-dev <#C0RATE|rate>');
    fake.fail('chat.postMessage', { status: 429, retryAfter: 2, times: 1, channel: 'C0RATE' });
    const made = await deploy('myapp-kim-dev');
    await s.postWebhook(await releaseEvent('myapp-kim-dev', made.release.version));
    const line = await waitForLine('C0RATE', 'myapp-kim-dev', made.release.version);
    const attempts = posts('C0RATE');
    expect(attempts.map((c) => c.failed ?? 'ok')).toEqual(['HTTP 429', 'ok']);
    expect(line.at - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(posted('C0RATE').filter((c) => String(c.params.text).includes(`v${made.release.version} `))).toHaveLength(1);
  });

  it('turns the subscriptions of a channel that is gone off, records why, and stops trying it', async () => {
    await run('notify myapp-jim-dev <#C0GONE|gone>');
    await run('notify myapp-jim-dev <#C0STAYS|stays>');
    fake.fail('chat.postMessage', { error: 'channel_not_found', times: 1_000, channel: 'C0GONE' });
    const made = await deploy('myapp-jim-dev');
    await s.postWebhook(await releaseEvent('myapp-jim-dev', made.release.version));
    const sub = await waitFor('the subscription turned off', async () => {
      const doc = await subscriptions().findOne({ app: 'myapp-jim-dev', channelId: 'C0GONE' });
      return doc?.enabled === false ? doc : undefined;
    });
    expect(sub.disabledReason).toBe('channel_not_found');
    const audit = await s.h.deps.db
      .collection('audit')
      .find({ action: 'subscription.disabled', app: 'myapp-jim-dev' })
      .toArray();
    // Written before the switch-off, so it is there once the subscription is off.
    expect(audit.map((e) => [e.actor, e.details])).toEqual([
      ['system', { channelId: 'C0GONE', reason: 'channel_not_found' }],
    ]);
    // The next release still reaches the channel that exists, and the gone one is not tried again.
    const tried = posts('C0GONE').length;
    const next = await deploy('myapp-jim-dev');
    await s.postWebhook(await releaseEvent('myapp-jim-dev', next.release.version));
    await waitForLine('C0STAYS', 'myapp-jim-dev', next.release.version);
    expect(posts('C0GONE')).toHaveLength(tried);
    expect((await run('show myapp-jim-dev')).text).not.toContain('C0GONE');
    expect((await run('history myapp-jim-dev')).text).toMatch(
      /pipeline-bot stopped announcing myapp-jim-dev in <#C0GONE>: channel_not_found/,
    );
  });

  it("links a release we promoted to the promotion's card instead of repeating it", async () => {
    await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET, ['myapp']);
    await run('notify myapp <#C0PROD|prod>');
    await deploy('myapp-staging', 'Ship it');
    await run('promote myapp-staging');
    const promotion = await waitFor(
      'the promotion to finish, with its card',
      async () => {
        const [p] = await s.h.deps.stores.promotions.ofTeam('T0ACME', { limit: 1 });
        const place = p && (await s.cards.places.of(p.id));
        return p && ['succeeded', 'failed', 'superseded'].includes(p.state) && place
          ? { ...p, card: place }
          : undefined;
      },
      20_000,
    );
    expect([promotion.state, promotion.error]).toEqual(['succeeded', undefined]);
    const version = promotion.result?.version as number;
    const line = await waitForLine('C0PROD', 'myapp', version, 30_000);
    const card = promotion.card as { channelId: string; ts: string };
    expect(posted('C0PROD')).toHaveLength(1);
    expect(String(line.params.text)).toContain(
      `promoted from myapp-staging v${promotion.source.version} (<https://github.com/acme/myapp/compare/`,
    );
    expect(String(line.params.text)).toContain(
      `<https://acme.slack.com/archives/${card.channelId}/p${card.ts.replace('.', '')}|see the card>`,
    );
    // Done at once: no details follow in a thread.
    const doc = await waitFor('the line recorded', async () => {
      const a = await announcements().findOne({ app: 'myapp', channelId: 'C0PROD', version });
      return a?.state === 'queued' ? undefined : a;
    });
    expect(doc?.state).toBe('done');
  });
});
