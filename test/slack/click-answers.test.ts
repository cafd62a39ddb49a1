import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Every click on a card is answered to the clicker (ephemeral, over its response_url) in words that say what the
// click did, or why it did nothing; a Reject that cannot count is refused before the reason form opens.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('clicks');
  await answer((await s.slack.command('policy myapp approvals=2 approvers=<@U0BOB>,<@U0CAROL>,<@U0DAVE>')).id);
}, 60_000);
afterAll(() => s?.stop());

async function answer(id: string) {
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0] as { text: string } | undefined);
}

/** `diff myapp-staging` by Alice: a request for myapp with its card. */
async function aRequest() {
  await s.h.control.deploy('myapp-staging', `Change ${Math.random()}`);
  const command = await s.slack.command('diff myapp-staging', 'U0ALICE');
  await answer(command.id);
  const doc = await s.h.deps.db.collection('promotions').findOne({ requestKey: `T0ACME:diff:${command.id}.trigger` });
  const id = String(doc?._id);
  const place = await waitFor('the card', () => s.cards.places.of(id));
  return { id, card: { channel: place.channelId, ts: place.ts } };
}

async function click(action: 'approve' | 'reject' | 'cancel', r: { id: string; card: object }, userId: string) {
  const sent = await s.slack.click(`promotion.${action}`, r.id, userId, r.card as { channel: string; ts: string });
  expect(sent.status).toBe(200);
  return sent.id;
}

const stateOf = async (id: string) => (await s.h.deps.promotionService.get('T0ACME', id)).state;
const modalsOpened = () => s.fake.callsTo('views.open').length;

describe('clicks on a card', () => {
  it('answers each Approve, a second one by the same person too, and says when the request runs', async () => {
    const r = await aRequest();
    expect((await answer(await click('approve', r, 'U0BOB'))).text).toBe(
      'You approved promoting myapp-staging to myapp: 1 of 2 approvals; it runs once it has them all.',
    );
    expect((await answer(await click('approve', r, 'U0BOB'))).text).toBe('You already approved this (1 of 2).');
    expect((await answer(await click('approve', r, 'U0CAROL'))).text).toBe(
      'You approved promoting myapp-staging to myapp: it runs now, and the card follows it.',
    );
    await waitFor('the promotion', async () => ((await stateOf(r.id)) === 'succeeded' ? true : undefined));
    expect((await answer(await click('approve', r, 'U0DAVE'))).text).toBe(
      'This request is already done; there is nothing to approve.',
    );
  });

  it('refuses Reject before the reason form opens on a finished card, or for someone who may not reject', async () => {
    const r = await aRequest();
    const opened = modalsOpened();
    expect((await answer(await click('reject', r, 'U0EVE'))).text).toBe(
      'You are not one of the approvers for myapp, so you cannot reject it.',
    );
    expect((await answer(await click('cancel', r, 'U0ALICE'))).text).toBe(
      'You cancelled promoting myapp-staging to myapp.',
    );
    expect((await answer(await click('reject', r, 'U0BOB'))).text).toBe(
      'This request was cancelled; there is nothing to reject.',
    );
    expect(modalsOpened()).toBe(opened);
    // A Reject that can count opens the form.
    const open = await aRequest();
    await click('reject', open, 'U0BOB');
    await waitFor('the reason form', () => (modalsOpened() > opened ? true : undefined));
  });

  it("tells someone else's Cancel on a finished card that it is already done, not whose it is", async () => {
    const r = await aRequest();
    await click('approve', r, 'U0BOB');
    await click('approve', r, 'U0CAROL');
    await waitFor('the promotion', async () => ((await stateOf(r.id)) === 'succeeded' ? true : undefined));
    expect((await answer(await click('cancel', r, 'U0BOB'))).text).toBe(
      'This request is already done; it can no longer be cancelled.',
    );
  });
});
