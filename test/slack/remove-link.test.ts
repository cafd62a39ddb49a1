import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Issue 13, case 2: removing a link ends every open request across it, and its card says so.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('removelink');
}, 60_000);
afterAll(() => s?.stop());

async function answer(id: string) {
  return waitFor(`the answer to ${id}`, () => s.fake.responsesTo(id)[0] as { text: string } | undefined);
}

describe('/pipeline remove with a card waiting for approval', () => {
  it('ends the request, says so on the card, and an Approve after it promotes nothing', async () => {
    await answer((await s.slack.command('policy myapp approvals=1')).id);
    await s.h.control.deploy('myapp-staging', 'Waiting on a card');
    const diff = await s.slack.command('diff myapp-staging', 'U0ANA');
    await answer(diff.id);
    const request = await s.h.deps.db
      .collection('promotions')
      .findOne({ requestKey: `T0ACME:diff:${diff.id}.trigger` });
    const id = String(request?._id);
    const ts = (await waitFor('the card', () => s.cards.places.of(id)))?.ts as string;
    const releases = s.h.releasesOf('myapp').length;

    const removed = await answer((await s.slack.command('remove myapp-staging', 'U0ANA')).id);
    expect(removed.text).toContain('<@U0ANA> removed myapp-staging ---> myapp. 1 open request across it ended.');
    const ended = await s.h.deps.promotionService.get('T0ACME', id);
    expect([ended.state, ended.error]).toEqual(['cancelled', 'the link myapp-staging ---> myapp was removed']);
    const updates = () => s.fake.callsTo('chat.update').filter((c) => c.params.ts === ts);
    const card = await waitFor('the card to say so', () =>
      updates().find((c) => JSON.stringify(c.params.blocks).includes('was removed')),
    );
    expect(JSON.stringify(card.params.blocks)).toContain(
      // Escaped for mrkdwn (Slack shows it as --->).
      'Cancelled by <@U0ANA>: the link myapp-staging ---&gt; myapp was removed',
    );
    expect(JSON.stringify(card.params.blocks)).not.toContain('promotion.approve');

    const click = await s.slack.click('promotion.approve', id, 'U0BOB', { channel: 'C0DEPLOY', ts });
    expect((await answer(click.id)).text).toMatch(/cancelled/);
    expect((await s.h.deps.promotionService.get('T0ACME', id)).state).toBe('cancelled');
    expect(s.h.releasesOf('myapp')).toHaveLength(releases);
  });
});
