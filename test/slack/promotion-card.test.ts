import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import type { Harness } from '../support/promotion-harness.js';
import type { SlackFake } from '../support/slack-fake.js';
import { startSlackHarness } from '../support/slack-harness.js';

let s: Awaited<ReturnType<typeof startSlackHarness>>;
let h: Harness;
let fake: SlackFake;

beforeAll(async () => {
  s = await startSlackHarness('slackcard');
  ({ h, fake } = s);
}, 60_000);
afterAll(() => s?.stop());

type Block = {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; text?: string | { text: string }; value?: string }[];
};
type Posted = { channel: string; ts: string; text: string; blocks: Block[] };

const textOf = (card: { blocks: Block[] }) =>
  card.blocks
    .map(
      (b) =>
        b.text?.text ??
        b.elements?.map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))).join(' ') ??
        '',
    )
    .join('\n');

/** Waits for the card at `ts` to show `words`, and returns that version of it. */
function cardSaying(ts: string, words: string | RegExp): Promise<Posted> {
  return waitFor(
    `the card to say ${words}`,
    () => {
      const latest = latestCard(ts);
      if (!latest) return undefined;
      const text = textOf(latest);
      return (typeof words === 'string' ? text.includes(words) : words.test(text)) ? latest : undefined;
    },
    30_000,
  );
}

async function answer(id: string) {
  return waitFor(`the answer to ${id}`, () => fake.responsesTo(id)[0] as { text: string } | undefined);
}

/** The last version of the card: the post, or its latest update. */
function latestCard(ts: string): Posted {
  const updates = fake.callsTo('chat.update').filter((c) => c.params.ts === ts);
  return (updates.at(-1)?.params ??
    fake.callsTo('chat.postMessage').find((c) => c.params.text && (c.params as { ts?: string }).ts === ts)
      ?.params) as unknown as Posted;
}

/** Sends a command and waits until the bot answered it: what it changes is then in place. */
async function settled(sent: Promise<{ id: string }>) {
  const { id } = await sent;
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0]);
}

// Each test starts from the same policy and an unlocked myapp, whatever the one before it did or where it failed.
beforeEach(() => settled(s.slack.command('policy myapp approvals=1')));
afterEach(async () => {
  await settled(s.slack.command('unlock myapp', 'U0BOB'));
  await h.control.clearFaults();
});

describe("the seed's workflow, end to end through Slack", () => {
  it('diff shows the commits on a card, the requester may not approve, another user promotes, the card ends done', async () => {
    // Two new commits on staging, so staging is ahead of production.
    await h.control.deploy('myapp-staging', 'Add the refund button', 'Fix the refund rounding');

    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    expect(diff.status).toBe(200);
    expect((await answer(diff.id)).text).toBe('Comparing myapp-staging to myapp...done: the card is in this channel.');
    const post = await waitFor('the card', () => fake.callsTo('chat.postMessage')[0]);
    const card = post.params as unknown as Posted;
    expect(card.channel).toBe('C0DEPLOY');
    const text = textOf(card);
    expect(text).toContain('*Promote myapp-staging → myapp*');
    expect(text).toContain('Comparing myapp-staging to myapp...done, myapp-staging ahead by 4 commits:');
    expect(text).toMatch(
      /<https:\/\/github\.com\/acme\/myapp\/commit\/[0-9a-f]{40}\|`[0-9a-f]{7}`> {2}\d{4}-\d{2}-\d{2} {2}Fix the refund rounding {2}\(Kim Developer\)/,
    );
    expect(text).toContain('Add the refund button');
    expect(text).toContain('0 of 1 approval');
    const approve = card.blocks.at(-1)?.elements?.find((e) => e.action_id === 'promotion.approve');
    expect(approve?.value).toMatch(/^[0-9a-f-]{36}$/);
    const promotionId = approve?.value ?? '';
    const ts = await waitFor('the card location', async () => (await s.cards.places.of(promotionId))?.ts);

    // The requester's own click is refused, to them only.
    const self = await s.slack.click('promotion.approve', promotionId, 'U0ANA', { channel: 'C0DEPLOY', ts });
    expect(self.status).toBe(200);
    expect((await answer(self.id)).text).toBe(
      'You requested this promotion, so someone else must approve it (self-approval is off for myapp).',
    );

    const before = h.releasesOf('myapp').length;
    await s.slack.click('promotion.approve', promotionId, 'U0BOB', { channel: 'C0DEPLOY', ts });
    const done = await cardSaying(ts, /done, v\d+/);
    expect(textOf(done)).toContain(`:white_check_mark: Promoting myapp-staging to myapp...done, v${before + 1}`);
    expect(textOf(done)).toContain('1 of 1 approval: <@U0BOB>');
    expect(done.blocks.some((b) => b.type === 'actions')).toBe(false);

    const staging = h.releasesOf('myapp-staging').at(-1);
    const production = h.releasesOf('myapp').at(-1);
    expect(production?.slugId).toBe(staging?.slugId);
    expect(production?.description).toMatch(new RegExp(`^Promote myapp-staging v${staging?.version} [0-9a-f]{7}$`));

    const releases = await s.slack.command('releases myapp');
    expect((await answer(releases.id)).text.split('\n')[2]).toMatch(
      new RegExp(
        `^v${before + 1} {2}Promote myapp-staging v${staging?.version} [0-9a-f]{7} {2}you@yourcompany\\.com {2}\\d+s ago$`,
      ),
    );
  });

  it('rejects with a reason from the modal; the card keeps it and loses its buttons', async () => {
    await h.control.deploy('myapp-staging', 'Risky change');
    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    await answer(diff.id);
    const promotionId = await waitFor('the request', async () => {
      const posted = fake.callsTo('chat.postMessage').at(-1)?.params as unknown as Posted | undefined;
      return posted?.blocks.at(-1)?.elements?.find((e) => e.action_id === 'promotion.reject')?.value;
    });
    const ts = await waitFor('the card location', async () => (await s.cards.places.of(promotionId))?.ts);
    await s.slack.click('promotion.reject', promotionId, 'U0BOB', { channel: 'C0DEPLOY', ts });
    const modal = await waitFor('the reason modal', () => fake.callsTo('views.open').at(-1));
    expect((modal.params.view as { private_metadata: string }).private_metadata).toBe(promotionId);
    const submitted = await s.slack.submitView(
      'promotion.reject_reason',
      promotionId,
      { reason: { reason: { value: 'not during the sale' } } },
      'U0BOB',
    );
    expect(submitted.status).toBe(200);
    const rejected = await cardSaying(ts, 'Rejected');
    expect(textOf(rejected)).toContain(':no_entry: Rejected by <@U0BOB>: "not during the sale"');
    expect(rejected.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('makes one request of a command Slack delivered three times, and one approval of five quick clicks', async () => {
    await settled(s.slack.command('policy myapp approvals=2'));
    await h.control.deploy('myapp-staging', 'Another change');
    const first = await s.slack.command('diff myapp-staging', 'U0ANA');
    // The same signed request twice more at once, as a retry or a replay within the signature window brings it.
    await Promise.all([s.slack.post(first.raw), s.slack.post(first.raw, { 'x-slack-retry-num': '1' })]);
    await waitFor('all three answers', () => (fake.responsesTo(first.id).length >= 3 ? true : undefined));
    const requests = await h.deps.db
      .collection('promotions')
      .find({ requestKey: `T0ACME:diff:${first.id}.trigger` })
      .toArray();
    expect(requests).toHaveLength(1);
    const id = String(requests[0]?._id);
    const ts = await waitFor('the card', async () => (await s.cards.places.of(id))?.ts);
    expect(fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.params).includes(id))).toHaveLength(1);

    const audit = h.deps.db.collection('audit');
    const updatesOf = () => fake.callsTo('chat.update').filter((c) => c.params.ts === ts).length;
    const [updatesBefore, auditBefore] = [updatesOf(), await audit.countDocuments({ promotionId: id })];
    const clicks = await Promise.all(
      Array.from({ length: 5 }, () => s.slack.click('promotion.approve', id, 'U0BOB', { channel: 'C0DEPLOY', ts })),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    const after = await waitFor('the approval', async () => {
      const p = await h.deps.promotionService.get('T0ACME', id);
      return p.approvals.length > 0 ? p : undefined;
    });
    // Each click ends in a refusal to its response_url or a card refresh, and each transition stored in one more
    // refresh: once they all add up, every click has been handled and nothing more can change.
    await waitFor('every click to be handled', async () => {
      const answered = clicks.reduce((n, c) => n + fake.responsesTo(c.id).length, 0);
      const transitions = (await audit.countDocuments({ promotionId: id })) - auditBefore;
      return answered + updatesOf() - updatesBefore >= clicks.length + transitions ? true : undefined;
    });
    expect((await h.deps.promotionService.get('T0ACME', id)).approvals).toEqual([
      { userId: 'U0BOB', at: after.approvals[0]?.at },
    ]);
    expect(
      await h.deps.db.collection('audit').countDocuments({ promotionId: id, action: 'promotion.approval_added' }),
    ).toBe(1);
  });

  it('answers "everything is up to date" when there is nothing to promote', async () => {
    // The cards above are still open (or finishing); this change is not theirs.
    for (const open of await h.deps.stores.promotions.openInto('myapp')) {
      if (open.state === 'pending_approval') await h.deps.promotionService.cancel(h.actor(open.requestedBy), open.id);
      else await h.settle(open);
    }
    // Whatever they did, staging has something new for production.
    await h.control.deploy('myapp-staging', 'One more change');
    await settled(s.slack.command('policy myapp approvals=0'));
    const promote = await s.slack.command('promote myapp-staging', 'U0ANA');
    expect((await answer(promote.id)).text).toBe(
      'Promoting myapp-staging to myapp: the card in this channel follows it.',
    );
    await waitFor('production to run staging', () =>
      h.releasesOf('myapp').at(-1)?.slugId === h.releasesOf('myapp-staging').at(-1)?.slugId ? true : undefined,
    );
    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    expect((await answer(diff.id)).text).toBe('Comparing myapp-staging to myapp...done, everything is up to date');
  });

  it('refuses a promotion into a locked app with the lock, and rolls back on request', async () => {
    await settled(s.slack.command('lock myapp "incident 7"', 'U0BOB'));
    await h.control.deploy('myapp-staging', 'Yet another change');
    const refused = await s.slack.command('promote myapp-staging', 'U0ANA');
    expect((await answer(refused.id)).text).toBe(
      'myapp is locked by <@U0BOB>: "incident 7". Unlock it (/pipeline unlock myapp) to promote into it.',
    );
    // The lock's holder may roll back the app they locked.
    const current = h.releasesOf('myapp').at(-1);
    const rollback = await s.slack.command('rollback myapp', 'U0BOB');
    expect((await answer(rollback.id)).text).toMatch(/^Rolling back myapp to v\d+\.\.\.$/);
    await waitFor('the rollback release', () =>
      (h.releasesOf('myapp').at(-1)?.version ?? 0) > (current?.version ?? 0) ? true : undefined,
    );
    expect(h.releasesOf('myapp').at(-1)?.description).toBe(`Rollback to v${(current?.version ?? 0) - 1}`);
  });

  it('tells the user to invite the bot when it cannot post the card, and leaves no request waiting', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    expect((await answer(diff.id)).text).toBe(
      'I cannot post in this channel: invite me first (`/invite @pipeline`), then run the command again.',
    );
    const request = await h.deps.db.collection('promotions').findOne({ requestKey: `T0ACME:diff:${diff.id}.trigger` });
    // Nobody could approve it from anywhere: it ended, and the audit log says why.
    expect([request?.state, request?.cancelledBy]).toEqual(['cancelled', 'system']);
    expect(request?.error).toMatch(/its card could not be posted in <#C0DEPLOY> \(not_in_channel\)/);
    const audit = await h.deps.db
      .collection('audit')
      .find({ promotionId: String(request?._id) })
      .toArray();
    expect(audit.map((e) => e.action)).toEqual(['promotion.requested', 'promotion.cancelled']);
  });

  it('makes no release when a promotion that needs no approval cannot post its card', async () => {
    await settled(s.slack.command('policy myapp approvals=0'));
    await h.control.deploy('myapp-staging', 'Nobody will see this');
    const before = h.releasesOf('myapp').length;
    fake.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    const promote = await s.slack.command('promote myapp-staging', 'U0ANA');
    expect((await answer(promote.id)).text).toBe(
      'I cannot post in this channel: invite me first (`/invite @pipeline`), then run the command again.',
    );
    const request = await h.deps.db
      .collection('promotions')
      .findOne({ requestKey: `T0ACME:promote:${promote.id}.trigger` });
    expect(request?.state).toBe('cancelled');
    // A promotion that came after it runs and finishes: had the withdrawn one been queued, it would have run first.
    const next = await s.slack.command('promote myapp-staging', 'U0ANA');
    await answer(next.id);
    const promotions = h.deps.db.collection('promotions');
    await waitFor('the second promotion to finish', async () => {
      const done = await promotions.findOne({ requestKey: `T0ACME:promote:${next.id}.trigger` });
      return done?.state === 'succeeded' ? true : undefined;
    });
    expect(h.releasesOf('myapp').length).toBe(before + 1);
  });

  it('asks to be invited into a private channel before anything is written', async () => {
    fake.channels.set('G0PRIVATE', { is_private: true, is_member: false });
    const before = await h.deps.db.collection('promotions').countDocuments();
    const sent = await s.slack.command('diff myapp-staging', 'U0ANA', { channel_id: 'G0PRIVATE' });
    expect((await answer(sent.id)).text).toBe(
      'I cannot post in this channel: invite me first (`/invite @pipeline`), then run the command again.',
    );
    expect(await h.deps.db.collection('promotions').countDocuments()).toBe(before);
  });

  /** Posts a diff card for a fresh staging change and returns its request id and card ts. */
  async function freshCard(message: string) {
    await h.control.deploy('myapp-staging', message);
    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    await answer(diff.id);
    const request = await h.deps.db.collection('promotions').findOne({ requestKey: `T0ACME:diff:${diff.id}.trigger` });
    const id = String(request?._id);
    const ts = await waitFor('the card', async () => (await s.cards.places.of(id))?.ts);
    return { id, ts };
  }

  it('turns the card to expired when nobody decided in time', async () => {
    const { id, ts } = await freshCard('Change nobody looks at');
    await h.deps.db
      .collection('promotions')
      .updateOne({ _id: id as never }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await h.deps.promotionService.expireStale()).toBe(1);
    const expired = await cardSaying(ts, 'Expired');
    expect(textOf(expired)).toContain(':clock3: Expired without a decision');
    expect(expired.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('turns the card to superseded when production moved before the approval', async () => {
    const { id, ts } = await freshCard('Change overtaken by a hotfix');
    const hotfix = await h.control.deploy('myapp', 'Hotfix straight to production');
    await s.slack.click('promotion.approve', id, 'U0BOB', { channel: 'C0DEPLOY', ts });
    const superseded = await cardSaying(ts, 'Superseded');
    const sha = hotfix.slug.commit.slice(0, 7);
    expect(textOf(superseded)).toContain(
      `:fast_forward: Superseded: myapp got v${hotfix.release.version} (Deploy ${sha}) since this was requested`,
    );
  });

  it('with no approval needed, promote runs at once and its card goes from "Promoting…" to "…done, vN"', async () => {
    await settled(s.slack.command('policy myapp approvals=0'));
    await h.control.deploy('myapp-staging', 'Ship it');
    const before = h.releasesOf('myapp').length;
    const promote = await s.slack.command('promote myapp-staging', 'U0ANA');
    expect((await answer(promote.id)).text).toBe(
      'Promoting myapp-staging to myapp: the card in this channel follows it.',
    );
    const request = await h.deps.db
      .collection('promotions')
      .findOne({ requestKey: `T0ACME:promote:${promote.id}.trigger` });
    const id = String(request?._id);
    const ts = await waitFor('the card', async () => (await s.cards.places.of(id))?.ts);
    const done = await cardSaying(ts, /done, v\d+/);
    expect(textOf(done)).toContain(`:white_check_mark: Promoting myapp-staging to myapp...done, v${before + 1}`);
    expect(textOf(done)).toContain('no approval needed');
  });
});
