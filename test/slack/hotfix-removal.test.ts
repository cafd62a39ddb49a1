import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Issue 13, case 5: a hotfix made straight on production is lost by promoting staging over it; the card, its
// confirm dialog and the reply say so, and even with no approval needed nothing happens without a click.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('hotfix');
}, 60_000);
afterAll(() => s?.stop());

const answer = (id: string) =>
  waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0] as { text: string } | undefined);

describe('promoting over a hotfix made on the downstream', () => {
  it('lists what it removes, warns on the card and in the confirm dialog, and waits for a click', async () => {
    await answer((await s.slack.command('policy myapp approvals=0')).id);
    // Production gets a commit staging does not have.
    await s.h.control.deploy('myapp', 'Hotfix the checkout total');
    const releases = s.h.releasesOf('myapp').length;

    const promote = await s.slack.command('promote myapp-staging', 'U0ANA');
    expect((await answer(promote.id)).text).toBe(
      'Promotion requested: it needs 1 approval on the card. myapp has 1 commit that myapp-staging lacks: promoting removes it, so it waits for a click.',
    );
    const request = await s.h.deps.db
      .collection('promotions')
      .findOne({ requestKey: `T0ACME:promote:${promote.id}.trigger` });
    expect(request?.state).toBe('pending_approval');
    expect(s.h.releasesOf('myapp')).toHaveLength(releases);

    const id = String(request?._id);
    const place = await waitFor('the card', () => s.cards.places.of(id));
    const card = s.fake.callsTo('chat.postMessage').find((c) => JSON.stringify(c.params.blocks ?? []).includes(id));
    const text = JSON.stringify(card?.params.blocks);
    expect(text).toContain('myapp-staging behind by 1 commit:');
    expect(text).toContain(':warning: myapp has 1 commit that myapp-staging lacks; promoting removes it:');
    expect(text).toContain('Hotfix the checkout total');
    const blocks = card?.params.blocks as { type: string; elements?: { action_id?: string; confirm?: unknown }[] }[];
    const confirm = JSON.stringify(blocks.at(-1)?.elements?.find((e) => e.action_id === 'promotion.approve')?.confirm);
    expect(confirm).toContain('promoting removes it');
    expect(confirm).toContain('Hotfix the checkout total');

    // The click (the requester may give it: no approval was needed) promotes.
    const click = await s.slack.click('promotion.approve', id, 'U0ANA', {
      channel: 'C0DEPLOY',
      ts: place?.ts as string,
    });
    expect(click.status).toBe(200);
    await waitFor('the promotion', async () =>
      (await s.h.deps.promotionService.get('T0ACME', id)).state === 'succeeded' ? true : undefined,
    );
    expect(s.h.releasesOf('myapp')).toHaveLength(releases + 1);
  });
});
