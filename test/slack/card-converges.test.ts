import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { runReconciler } from '../../src/queue/start-workers.js';
import { ACTIONS } from '../../src/slack/blocks/promotion-card.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Issue 15, finding 2: a card update that was lost (Redis down when the event was queued, a crash between the
// store and the publish, Slack refusing the update) left cards saying "Promoting…" forever.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('cardconverge');
}, 60_000);
afterAll(() => s?.stop());

type Card = { ts: string; text: string };
/** What the card shows now: the last post or update Slack took. */
const shown = (ts: string) =>
  s.fake.calls
    .filter((c) => !c.failed && ['chat.postMessage', 'chat.update'].includes(c.method))
    .filter((c) => (c.params.ts ?? c.answer?.ts) === ts)
    .at(-1)?.params as Card | undefined;

/** A new build on staging, `/pipeline promote` through Slack (one approval needed), and where its card is. */
async function requestedWithCard(change: string) {
  await s.h.control.deploy('myapp-staging', change);
  await s.slack.command('policy myapp approvals=1', 'U0BOB');
  const sent = await s.slack.command('promote myapp-staging', 'U0ANA');
  await waitFor('the answer', () => s.fake.responsesTo(sent.id)[0]);
  const [p] = await s.h.deps.stores.promotions.ofTeam('T0ACME', { limit: 1 });
  if (!p) throw new Error('no request was made');
  return { p, place: await waitFor('the card', () => s.cards.places.of(p.id)) };
}

async function promotedWithUpdatesLost() {
  const { p, place } = await requestedWithCard('Something to promote');
  // Every update from here on is refused: the approval and the promotion are stored, the card is not told.
  s.fake.fail('chat.update', { error: 'internal_error', times: 1_000 });
  await s.h.deps.promotionService.approve(s.h.actor('U0BOB'), p.id);
  const done = await s.h.settle(p);
  await waitFor('the refused updates', () =>
    s.fake.callsTo('chat.update').some((c) => c.failed && c.params.ts === place.ts) ? true : undefined,
  );
  s.fake.fail('chat.update', { error: 'internal_error', times: 0 });
  return { done, place };
}

describe('a card whose updates were lost', () => {
  it("is brought to its request's stored state by the reconciler's next pass", async () => {
    const { done, place } = await promotedWithUpdatesLost();
    expect(done.state).toBe('succeeded');
    expect(shown(place.ts)?.text).not.toMatch(/done/);

    expect(await runReconciler(s.h.deps)).toMatchObject({ converged: 1 });
    expect(shown(place.ts)?.text).toMatch(new RegExp(`done, v${done.result?.version}`));
    // Up to date now: the next pass leaves it alone.
    expect(await runReconciler(s.h.deps)).toMatchObject({ converged: 0 });
  });
});

describe('a card whose place was not recorded (the store went away right after it was posted)', () => {
  it('is learned from a click on it: the approval runs, and the card is updated', async () => {
    const { p, place } = await requestedWithCard('Another thing to promote');
    await s.h.deps.db
      .collection('promotion_cards')
      .updateOne({ _id: p.id as never }, { $unset: { channelId: '', ts: '', shownRev: '' } });

    await s.slack.click(ACTIONS.approve, p.id, 'U0BOB', { channel: place.channelId, ts: place.ts });
    const done = await s.h.settle(p);
    expect(done.state).toBe('succeeded');
    expect(await s.cards.places.of(p.id)).toEqual(place);
    await waitFor('the card to say done', () => (/done/.test(shown(place.ts)?.text ?? '') ? true : undefined));
  });
});
