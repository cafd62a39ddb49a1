import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startSlackHarness } from '../support/slack-harness.js';

// Issue 15, finding 10: Bolt called auth.test before every request (2,623 times in a 1,000-promotion run), and
// Slack rate-limits auth.test.
let s: Awaited<ReturnType<typeof startSlackHarness>>;

beforeAll(async () => {
  s = await startSlackHarness('authonce');
}, 60_000);
afterAll(() => s?.stop());

describe("the bot's own identity", () => {
  it('is asked of Slack once per workspace, not once per request', async () => {
    for (let i = 0; i < 6; i++) {
      const sent = await s.slack.command(i % 2 ? 'show myapp' : 'help', 'U0ANA');
      await waitFor(`the answer to ${sent.id}`, () => s.fake.responsesTo(sent.id)[0]);
    }
    expect(s.fake.callsTo('auth.test')).toHaveLength(1);
  });
});
