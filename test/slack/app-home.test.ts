import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { slackHeaders } from '../../src/playground/slack-signature.js';
import { startSlackHarness } from '../support/slack-harness.js';

let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('apphome');
}, 60_000);
afterAll(() => s?.stop());

/** Slack's Events API delivery of `app_home_opened`: signed JSON. */
async function openHome(userId: string) {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0ACME',
    api_app_id: 'A0PIPE',
    event: { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` },
    event_id: `Ev${Date.now()}${userId}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0ACME', user_id: 'U0BOT', is_bot: true }],
  });
  const publishes = () => s.fake.callsTo('views.publish').filter((c) => c.params.user_id === userId);
  const before = publishes().length;
  const url = s.slack.url;
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...slackHeaders('test-signing-secret', body) },
    body,
  });
  expect(res.status).toBe(200);
  // This opening's publish, not an earlier one.
  const published = await waitFor(`the home of ${userId}`, () => publishes()[before]);
  return JSON.stringify(published.params.view);
}

/** Sends a command and waits until the bot answered it: what it changes is then in place. */
async function settled(sent: Promise<{ id: string }>) {
  const { id } = await sent;
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0]);
}

describe('the App Home tab', () => {
  it("shows the workspace's pipelines, the approvals waiting for the viewer, and recent promotions", async () => {
    await settled(s.slack.command('policy myapp approvals=1', 'U0ANA'));
    await s.h.control.deploy('myapp-staging', 'Something to approve');
    await settled(s.slack.command('diff myapp-staging', 'U0ANA'));
    await waitFor('the request', async () => {
      const [p] = await s.h.deps.stores.promotions.ofTeam('T0ACME', { limit: 1 });
      return p && (await s.cards.places.of(p.id));
    });

    const bob = await openHome('U0BOB');
    expect(bob).toContain('Pipeline: myapp-jim-dev ---+');
    expect(bob).toMatch(
      /Waiting for your approval.*myapp-staging v4 → myapp — pending approval · asked by <@U0ANA> · <#C0DEPLOY>/,
    );

    const ana = await openHome('U0ANA');
    expect(ana).toContain('Nothing waits for you.');
    expect(ana).toMatch(/Recent promotions.*myapp-staging v4 → myapp — pending approval/);
  });

  it('shows which apps are locked, by whom, since when and why', async () => {
    await settled(s.slack.command('lock myapp-staging "incident 42"', 'U0CAROL'));
    const home = await openHome('U0BOB');
    expect(home).toMatch(/:lock: myapp-staging is locked by <@U0CAROL> \(\ds ago\): \\"incident 42\\"/);
    await settled(s.slack.command('unlock myapp-staging', 'U0CAROL'));
    expect(await openHome('U0BOB')).not.toContain(':lock:');
  });
});
