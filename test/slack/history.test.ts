import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// `/pipeline history` answers "who changed what": one sentence an event, newest first, with the values before
// and after, the versions, the upstream and the resulting release; mentions outside any code block.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('history');
}, 60_000);
afterAll(() => s?.stop());

async function run(text: string, userId: string) {
  const sent = await s.slack.command(text, userId);
  return waitFor(`the answer to "${text}"`, () => s.fake.responsesTo(sent.id)[0] as { text: string } | undefined);
}

async function requestOf(verb: string, userId: string, text: string) {
  const sent = await s.slack.command(text, userId);
  await waitFor('the answer', () => s.fake.responsesTo(sent.id)[0]);
  const doc = await s.h.deps.db.collection('promotions').findOne({ requestKey: `T0ACME:${verb}:${sent.id}.trigger` });
  return String(doc?._id);
}

const done = (id: string) =>
  waitFor('the request to finish', async () => {
    const p = await s.h.deps.promotionService.get('T0ACME', id);
    return p.state === 'succeeded' ? p : undefined;
  });

describe('/pipeline history through a day of work', () => {
  it('tells each step as a sentence, newest first, paged', async () => {
    await run('policy myapp approvals=1 approvers=<@U0DAVE|dave>', 'U0ALICE');
    await run('lock myapp "incident 42"', 'U0ALICE');
    await run('unlock myapp', 'U0BOB');
    await s.h.control.deploy('myapp-staging', 'Add the wish list');
    const promotion = await requestOf('diff', 'U0ALICE', 'diff myapp-staging');
    const place = await waitFor('the card', () => s.cards.places.of(promotion));
    await s.slack.click('promotion.approve', promotion, 'U0DAVE', { channel: place.channelId, ts: place.ts });
    const promoted = await done(promotion);
    const rolledBack = await done(await requestOf('rollback', 'U0BOB', 'rollback myapp'));

    const history = (await run('history myapp', 'U0ALICE')).text;
    expect(history).not.toContain('```');
    const lines = history.split('\n').slice(1);
    const v = promoted.source.version;
    const sha = promoted.source.commit?.slice(0, 7);
    const expected = [
      `rollback done: myapp v${rolledBack.result?.version}`,
      `rollback started: rolling myapp back to v${rolledBack.source.version}`,
      `<@U0BOB> asked for rolling myapp back to v${rolledBack.source.version}`,
      `promotion done: myapp v${promoted.result?.version}`,
      `promotion started: promoting myapp-staging v${v} (${sha}) to myapp`,
      `<@U0DAVE> approved promoting myapp-staging v${v} (${sha}) to myapp (all approvals in)`,
      `<@U0ALICE> asked for promoting myapp-staging v${v} (${sha}) to myapp`,
      '<@U0BOB> unlocked myapp (locked by <@U0ALICE>: "incident 42")',
      '<@U0ALICE> locked myapp: "incident 42"',
      "<@U0ALICE> changed myapp's policy: approvals 0 → 1, approvers anyone → <@U0DAVE>",
    ];
    const sentences = lines.map((l) => l.replace(/^• \d+s ago · /, ''));
    // Newest first: each expected sentence appears, in this order.
    const at = expected.map((sentence) => sentences.indexOf(sentence));
    expect(
      at.every((i) => i >= 0),
      `history was:\n${history}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(lines.every((l) => /^• \d+s ago · /.test(l))).toBe(true);

    const two = (await run('history myapp 2', 'U0ALICE')).text;
    expect(two.split('\n')).toHaveLength(4);
    expect(two).toMatch(/These are the newest 2; `\/pipeline history myapp 50` shows more\.$/);
  });
});
