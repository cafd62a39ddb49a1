import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { watchDownstreams } from '../../src/promotions/supersede-moved.js';
import { startSlackHarness, WEBHOOK_SECRET } from '../support/slack-harness.js';

// Issue 13, case 3: one open request per change, and a request whose downstream moved ends at once, its card
// saying what happened.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('openreqs');
  await answer((await s.slack.command('policy myapp approvals=1')).id);
}, 60_000);
afterAll(() => s?.stop());

async function answer(id: string) {
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0] as { text: string } | undefined);
}

const cardsPosted = () =>
  s.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.params.blocks ?? []).includes('promotion.approve'));

/** Runs a command and returns its answer and the request it made (if it made one). */
async function run(text: string, userId = 'U0ANA') {
  const command = await s.slack.command(text, userId);
  const reply = await answer(command.id);
  const verb = text.split(' ')[0];
  const doc = await s.h.deps.db
    .collection('promotions')
    .findOne({ requestKey: `T0ACME:${verb}:${command.id}.trigger` });
  return { reply: reply.text, id: doc ? String(doc._id) : undefined };
}

async function cardOf(id: string) {
  const place = await waitFor('the card', () => s.cards.places.of(id));
  return { ...place, channel: place.channelId, text: () => lastRender(place.ts) };
}

/** The card as it reads now: its last update, else as posted. */
function lastRender(ts: string): string {
  const updates = s.fake.callsTo('chat.update').filter((c) => c.params.ts === ts);
  const posted = s.fake.callsTo('chat.postMessage').find((c) => c.answer?.ts === ts);
  return JSON.stringify((updates.at(-1) ?? posted)?.params.blocks ?? []);
}

const stateOf = async (id: string) => (await s.h.deps.promotionService.get('T0ACME', id)).state;

describe('repeated diff and promote for the same change', () => {
  it('make one card; the repeats answer with a link to it, and nothing is left waiting after it runs', async () => {
    await s.h.control.deploy('myapp-staging', 'Add the wish list');
    const before = cardsPosted().length;
    const first = await run('diff myapp-staging', 'U0ANA');
    expect(first.reply).toContain('the card is in this channel');
    const card = await cardOf(first.id as string);

    const again = await run('diff myapp-staging', 'U0BOB');
    const promote = await run('promote myapp-staging', 'U0CAROL');
    const link = `https://acme.slack.com/archives/${card.channelId}/p${card.ts.replace('.', '')}`;
    for (const repeat of [again, promote]) {
      expect(repeat.id).toBeUndefined();
      expect(repeat.reply).toMatch(
        new RegExp(
          `^Promoting myapp-staging v\\d+ \\([0-9a-f]{7}\\) to myapp is already requested by <@U0ANA> and waits for 1 more approval: <${link}\\|see its card>\\.$`,
        ),
      );
    }
    expect(cardsPosted()).toHaveLength(before + 1);

    await s.slack.click('promotion.approve', first.id as string, 'U0BOB', card);
    await waitFor('the promotion', async () =>
      (await stateOf(first.id as string)) === 'succeeded' ? true : undefined,
    );
    const waiting = await s.h.deps.stores.promotions.openInto('myapp');
    expect(waiting).toEqual([]);

    // Once it has ended, the same command opens a new request again (it is up to date now, so: nothing to do).
    expect((await run('diff myapp-staging', 'U0BOB')).reply).toContain('everything is up to date');
  });
});

describe('a downstream that moves while a request waits', () => {
  it('is superseded by the watcher where no webhook reports on the app', async () => {
    await s.h.control.deploy('myapp-staging', 'Add a wish list badge');
    const waiting = await run('diff myapp-staging');
    const card = await cardOf(waiting.id as string);
    // A deploy the bot hears nothing of: no webhook reports on myapp yet.
    const hotfix = await s.h.control.deploy('myapp', 'Hotfix the coupon field');
    expect(await stateOf(waiting.id as string)).toBe('pending_approval');

    const watched = await watchDownstreams(s.h.deps.engine);
    expect(watched.superseded).toBe(1);
    const said = `myapp got v${hotfix.release.version} (Deploy ${hotfix.slug.commit.slice(0, 7)}) since this was requested`;
    await waitFor('the card to say so', () => (card.text().includes(said) ? true : undefined));
  });
  it('supersedes it at once from the webhook, in the words of the release', async () => {
    await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET, ['myapp']);
    await s.h.control.deploy('myapp-staging', 'Add gift cards');
    const waiting = await run('diff myapp-staging');
    const card = await cardOf(waiting.id as string);

    const hotfix = await s.h.control.deploy('myapp', 'Hotfix the checkout total');
    const said = `myapp got v${hotfix.release.version} (Deploy ${hotfix.slug.commit.slice(0, 7)}) since this was requested`;
    await waitFor('the card to say so', () => (card.text().includes(said) ? true : undefined));
    expect(card.text()).toContain(`:fast_forward: Superseded: ${said}`);
    expect(card.text()).not.toContain('promotion.approve');
    expect(await stateOf(waiting.id as string)).toBe('superseded');
    const { events } = await s.h.deps.stores.audit.list('T0ACME', 'myapp', { limit: 100 });
    const ended = events.filter((e) => e.promotionId === waiting.id && e.action === 'promotion.superseded');
    expect(ended).toHaveLength(1);
  });

  it('supersedes the others when one of them is promoted', async () => {
    await s.h.control.deploy('myapp-staging', 'Add a size chart');
    const older = await run('diff myapp-staging');
    await s.h.control.deploy('myapp-staging', 'Add reviews');
    const newer = await run('diff myapp-staging');
    const [olderCard, newerCard] = [await cardOf(older.id as string), await cardOf(newer.id as string)];

    await s.slack.click('promotion.approve', newer.id as string, 'U0BOB', newerCard);
    const done = await waitFor('the newer one', async () => {
      const p = await s.h.deps.promotionService.get('T0ACME', newer.id as string);
      return p.state === 'succeeded' ? p : undefined;
    });
    const said = `myapp got v${done.result?.version} (Promote myapp-staging v${done.source.version} ${done.source.commit?.slice(0, 7)}) since this was requested`;
    await waitFor('the older card to say so', () => (olderCard.text().includes(said) ? true : undefined));
    expect(await stateOf(older.id as string)).toBe('superseded');
  });
});
