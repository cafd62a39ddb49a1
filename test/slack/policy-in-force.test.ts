import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Issue 13, case 4: an open request needs what the policy in force says, not what it said when it was made.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('policyforce');
}, 60_000);
afterAll(() => s?.stop());
beforeEach(async () => {
  await answer((await s.slack.command('policy myapp approvals=1 approvers=anyone')).id);
});

async function answer(id: string) {
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0] as { text: string } | undefined);
}

/** A fresh change on staging and its card, asked for by Ana. */
async function pendingCard(change: string) {
  await s.h.control.deploy('myapp-staging', change);
  const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
  await answer(diff.id);
  const doc = await s.h.deps.db.collection('promotions').findOne({ requestKey: `T0ACME:diff:${diff.id}.trigger` });
  const id = String(doc?._id);
  const place = await waitFor('the card', () => s.cards.places.of(id));
  const card = { channel: place.channelId, ts: place.ts };
  const text = () => {
    const updates = s.fake.callsTo('chat.update').filter((c) => c.params.ts === place.ts);
    return JSON.stringify(updates.at(-1)?.params.blocks ?? []);
  };
  return { id, card, text };
}

const get = (id: string) => s.h.deps.promotionService.get('T0ACME', id);
const approvalsReach = (id: string, n: number) =>
  waitFor(`${n} approval(s)`, async () => ((await get(id)).approvals.length === n ? true : undefined));
const succeeded = (id: string) =>
  waitFor('the promotion', async () => {
    const p = await get(id);
    return p.state === 'succeeded' ? p : undefined;
  });

async function click(id: string, userId: string, card: { channel: string; ts: string }) {
  const sent = await s.slack.click('promotion.approve', id, userId, card);
  expect(sent.status).toBe(200);
  return sent;
}

describe('a stricter policy while a card waits', () => {
  it('re-renders the card with the new requirement, and a former approver can no longer approve it', async () => {
    const { id, card, text } = await pendingCard('Add the loyalty page');
    const releases = s.h.releasesOf('myapp').length;

    const changed = await answer((await s.slack.command('policy myapp approvals=2 approvers=<@U0DAVE>')).id);
    expect(changed.text).toContain('1 open request follows it now.');
    await waitFor('the card to say so', () => (text().includes('changed the policy') ? true : undefined));
    expect(text()).toContain('0 of 2 approvals');
    expect(text()).toContain(':scales: <@U0ANA> changed the policy: approvals 1 → 2, approvers anyone → <@U0DAVE>.');
    expect((await get(id)).policy).toMatchObject({ approvals: 2, users: ['U0DAVE'] });

    const bob = await click(id, 'U0BOB', card);
    expect((await answer(bob.id)).text).toBe('You are not one of the approvers for myapp.');
    expect(await get(id)).toMatchObject({ state: 'pending_approval', approvals: [] });
    expect(s.h.releasesOf('myapp')).toHaveLength(releases);

    const { events } = await s.h.deps.stores.audit.list('T0ACME', 'myapp', { limit: 50 });
    const audited = events.filter((e) => e.promotionId === id && e.action === 'promotion.policy_changed');
    expect(audited.map((e) => [e.actor, e.details.reason])).toEqual([
      ['U0ANA', 'approvals 1 → 2, approvers anyone → <@U0DAVE>'],
    ]);
  });

  it('drops an approval given by someone who is no longer an approver, and says so', async () => {
    await answer((await s.slack.command('policy myapp approvals=2')).id);
    const { id, card, text } = await pendingCard('Add the gift wrap option');
    await click(id, 'U0BOB', card);
    await approvalsReach(id, 1);

    await answer((await s.slack.command('policy myapp approvers=<@U0DAVE>,<@U0CAROL>')).id);
    await waitFor('the card to say so', () => (text().includes('no longer counts') ? true : undefined));
    expect(text()).toContain("<@U0BOB>'s approval no longer counts");
    expect(text()).toContain('0 of 2 approvals');

    // Two current approvers are still needed; then it runs.
    await click(id, 'U0DAVE', card);
    await approvalsReach(id, 1);
    await click(id, 'U0CAROL', card);
    const done = await succeeded(id);
    expect(done.approvals.map((a) => a.userId)).toEqual(['U0DAVE', 'U0CAROL']);
  });

  it('counts approvals given when the policy is relaxed to what they already satisfy', async () => {
    await answer((await s.slack.command('policy myapp approvals=2')).id);
    const { id, card, text } = await pendingCard('Add the size guide');
    await click(id, 'U0BOB', card);
    await approvalsReach(id, 1);

    await answer((await s.slack.command('policy myapp approvals=1')).id);
    const done = await succeeded(id);
    expect(done.approvals.map((a) => a.userId)).toEqual(['U0BOB']);
    await waitFor('the card to say done', () => (text().includes('done, v') ? true : undefined));
    expect(text()).toContain('approvals 2 → 1');
  });
});
