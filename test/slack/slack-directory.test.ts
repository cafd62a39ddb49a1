import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackDirectory } from '../../src/slack/slack-directory.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';

let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake({ groups: { S0SRE: ['U0SRE1', 'U0SRE2'], S0DBA: ['U0DBA'] } });
});
afterAll(() => fake.close());

describe('user groups from Slack', () => {
  it('answers membership from usergroups.users.list, and asks Slack once a minute per group', async () => {
    let now = 0;
    const directory = slackDirectory(
      new WebClient('xoxb-test', { slackApiUrl: fake.api, retryConfig: { retries: 0 } }),
      () => now,
    );
    expect(await directory.isInAnyGroup('T0ACME', 'U0SRE2', ['S0DBA', 'S0SRE'])).toBe(true);
    expect(await directory.isInAnyGroup('T0ACME', 'U0EVE', ['S0DBA', 'S0SRE'])).toBe(false);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(2);
    now = 61_000;
    await directory.isInAnyGroup('T0ACME', 'U0SRE1', ['S0SRE']);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(3);
  });

  it('does not remember a failed lookup', async () => {
    fake.fail('usergroups.users.list', { error: 'ratelimited', times: 1 });
    const directory = slackDirectory(
      new WebClient('xoxb-test', { slackApiUrl: fake.api, retryConfig: { retries: 0 } }),
    );
    await expect(directory.isInAnyGroup('T0ACME', 'U0DBA', ['S0DBA'])).rejects.toThrow();
    expect(await directory.isInAnyGroup('T0ACME', 'U0DBA', ['S0DBA'])).toBe(true);
  });
});
