import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncedRelease, ChannelRef } from '../../src/releases/announcement.js';
import { ingestReleases } from '../../src/releases/ingest-releases.js';
import {
  type AnnouncementSender,
  type DrainDeps,
  type SendResult,
  sendNextAnnouncement,
} from '../../src/releases/send-next-announcement.js';
import { startTestDeps } from '../support/test-deps.js';

// The sender's decisions on real MongoDB and Redis, with Slack's answers chosen by each test.
let t: Awaited<ReturnType<typeof startTestDeps>>;
let version = 0;

beforeAll(async () => {
  t = await startTestDeps('sendnext');
});
afterAll(() => t?.stop());

const answering = (answer: (channelId: string) => Promise<SendResult> | SendResult): AnnouncementSender => ({
  postLine: async (a) => answer(a.channelId),
  postDetails: async (a) => answer(a.channelId),
});

function drain(sender: AnnouncementSender): DrainDeps {
  return { ...t.deps.announcing, sender, intervalMs: 1_000 };
}

/** A channel listening to `app` from v0, with one release queued in it. */
async function queuedIn(channelId: string, app = 'shop'): Promise<ChannelRef> {
  const teamId = 'T0ACME';
  await t.deps.stores.subscriptions.enable({ teamId, app, channelId, sinceVersion: 0, by: 'U0ANA', at: new Date() });
  version++;
  const release: AnnouncedRelease = {
    id: `${app}-${channelId}-${version}`,
    app,
    version: 1,
    description: 'Deploy abc1234',
    userEmail: 'kim@acme.com',
    createdAt: new Date(),
    commit: null,
    commitDescription: null,
  };
  await ingestReleases(t.deps.announcing, [release], 'webhook');
  return { teamId, channelId };
}

const stateIn = async (channel: ChannelRef) =>
  (await t.deps.db.collection('announcements').findOne({ channelId: channel.channelId }))?.state;

describe('sending the next announcement', () => {
  it('tries a message Slack refuses for an unknown reason a few times, then gives it up and records why', async () => {
    const channel = await queuedIn('C0ODD');
    const deps = drain(answering(() => ({ kind: 'refused', reason: 'some_new_error' })));
    const steps = [];
    for (let i = 0; i < 5; i++) steps.push(await sendNextAnnouncement(deps, channel));
    expect(steps.map((s) => s.kind)).toEqual(['wait', 'wait', 'wait', 'wait', 'sent']);
    expect(await stateIn(channel)).toBe('dropped');
    const audit = await t.deps.db.collection('audit').findOne({ action: 'announcement.dropped' });
    expect(audit?.details).toMatchObject({ channelId: 'C0ODD', reason: 'Slack refused it: some_new_error' });
    expect(await sendNextAnnouncement(deps, channel)).toEqual({ kind: 'idle' });
  });

  it('holds the whole workspace back while Slack refuses our install, and loses nothing', async () => {
    const first = await queuedIn('C0TOKEN1');
    const second = await queuedIn('C0TOKEN2');
    let calls = 0;
    const deps = drain(
      answering(() => {
        calls++;
        return { kind: 'install_broken', reason: 'token_revoked' };
      }),
    );
    expect(await sendNextAnnouncement(deps, first)).toEqual({ kind: 'wait', ms: 600_000 });
    const other = await sendNextAnnouncement(deps, second);
    expect(other.kind).toBe('wait');
    expect(calls).toBe(1);
    expect([await stateIn(first), await stateIn(second)]).toEqual(['queued', 'queued']);
    await t.deps.redis.del(`${t.deps.queuePrefix}:announce-pace:T0ACME`);
  });

  it("waits out one channel's 429 alone, and the workspace's when several channels hear one", async () => {
    const busy = await queuedIn('C0BUSY1');
    const calm = await queuedIn('C0CALM1');
    const limited = drain(answering(() => ({ kind: 'rate_limited', retryAfterMs: 5_000 })));
    expect(await sendNextAnnouncement(limited, busy)).toEqual({ kind: 'wait', ms: 5_000 });
    const fine = drain(answering(() => ({ kind: 'sent', ts: '1700000000.000001' })));
    expect(await sendNextAnnouncement(fine, calm)).toEqual({ kind: 'sent' });
    // A second channel told to wait: now every channel of the workspace does.
    const another = await queuedIn('C0BUSY2');
    await sendNextAnnouncement(limited, another);
    const third = await queuedIn('C0CALM2');
    expect((await sendNextAnnouncement(fine, third)).kind).toBe('wait');
    await t.deps.redis.del(`${t.deps.queuePrefix}:announce-pace:T0ACME`);
  });

  it('does not bring back, or add details to, a line muted while it was being sent', async () => {
    const channel = await queuedIn('C0HUSH', 'hush-app');
    const ana = { teamId: 'T0ACME', userId: 'U0ANA' };
    const muteMidway = drain(
      answering(async () => {
        await t.deps.subscriptionService.mute(ana, 'hush-app', 'C0HUSH');
        return { kind: 'sent', ts: '1700000000.000009' };
      }),
    );
    expect(await sendNextAnnouncement(muteMidway, channel)).toEqual({ kind: 'sent' });
    expect(await stateIn(channel)).toBe('dropped');
    await t.deps.redis.del(`${t.deps.queuePrefix}:announce-pace:T0ACME:C0HUSH`);
    expect(await sendNextAnnouncement(muteMidway, channel)).toEqual({ kind: 'idle' });
  });
});
