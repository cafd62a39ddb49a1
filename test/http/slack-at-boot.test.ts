import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createShutdown } from '../../src/create-shutdown.js';
import { createDeps } from '../../src/deps.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { startWebRole, type WebRole } from '../../src/roles/web.js';
import { answerCommand } from '../../src/slack/commands/answer-command.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { SIGNING_SECRET } from '../support/slack-harness.js';
import { slackDriver } from '../support/slack-signer.js';
import { testEnv } from '../support/test-env.js';

// Slack does not retry a slash command or a click: a request that arrives while the bot starts must be answered,
// and /readyz must not say ready before Slack's requests are taken.
let fake: SlackFake;
let h: Harness;
let web: WebRole;
const shutdown = () => createShutdown(h.deps.logger, 10_000);
let stopping: ReturnType<typeof shutdown>;

beforeAll(async () => {
  fake = await startSlackFake();
  h = await startHarness('slackboot', { realTime: true, env: { SLACK_API_URL: fake.api } });
  stopping = shutdown();
  web = await startWebRole(h.deps, stopping);
}, 60_000);
afterAll(async () => {
  await stopping?.run('the test is over');
  await fake?.close();
  await h?.stop();
});

const readyz = async () => (await fetch(`http://127.0.0.1:${web.port}/readyz`)).status;

describe('right after boot', () => {
  it('says not ready until Slack requests are taken, and answers a command that came in the meantime', async () => {
    expect(await readyz()).toBe(503);
    const slack = slackDriver({
      url: `http://127.0.0.1:${web.port}`,
      secret: SIGNING_SECRET,
      responseUrl: fake.responseUrl,
    });
    const early = slack.command('help');
    // The indexes are made while the command waits.
    setTimeout(() => void web.ready(), 300);
    const sent = await early;
    expect(sent.status).toBe(200);
    const answer = await waitFor('the answer', () => fake.responsesTo(sent.id)[0] as { text: string } | undefined);
    expect(answer.text).toContain('/pipeline help');
    expect(await readyz()).toBe(200);
  });
});

describe('while MongoDB does not answer', () => {
  it('tells the user so, and that nothing was changed (no "something went wrong")', async () => {
    const env = testEnv('mongodown');
    const deps = createDeps(env.config({ MONGO_URL: 'mongodb://127.0.0.1:9/down' }), createLogger('silent'));
    try {
      const reply = await answerCommand(
        { ...deps, ...deps.ports, audit: deps.stores.audit, channelAccess: async () => 'ok' as const },
        { teamId: 'T0ACME', userId: 'U0ANA', channelId: 'C0DEPLOY', triggerId: 'down.trigger' },
        'history myapp',
      );
      expect(reply).toEqual({
        response_type: 'ephemeral',
        text: 'pipeline-bot cannot reach its database right now; nothing was changed. Try again in a minute.',
      });
    } finally {
      await deps.close();
      await env.cleanup();
    }
  }, 20_000);
});
