import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, runDemo } from '../../src/demo/run-demo.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { slackDriver } from '../support/slack-signer.js';
import { testEnv } from '../support/test-env.js';

const SIGNING_SECRET = 'real-slack-signing-secret';
const env = testEnv('demoslack');
let fake: SlackFake;
let demo: Demo;
const said: string[] = [];

/** What an earlier run on the same servers left: the demo must not start "half-reset" on top of it. */
async function leaveEarlierRun(): Promise<void> {
  const mongo = new MongoClient(env.mongoUrl);
  await mongo.db().collection('couplings').insertOne({ teamId: 'T0REAL', app: 'old-app', downstream: 'myapp' });
  await mongo.close();
  const redis = new Redis(env.redisUrl);
  await redis.set(`${env.queuePrefix}:promotions:stale`, 'x');
  redis.disconnect();
}

beforeAll(async () => {
  await leaveEarlierRun();
  // Slack's Web API is reached through SLACK_API_URL; here it is the test's fake, standing in for slack.com.
  fake = await startSlackFake({ teamId: 'T0REAL' });
  demo = await runDemo({
    config: {
      redisUrl: env.redisUrl,
      mongoUrl: env.mongoUrl,
      slack: { botToken: 'xoxb-real-workspace', signingSecret: SIGNING_SECRET, apiUrl: fake.api },
      github: {},
      logLevel: 'warn',
    },
    ports: { bot: 0, playground: 0, simulator: 0 },
    say: (line) => said.push(line),
    names: { database: env.dbName, queuePrefix: env.queuePrefix },
    signal: new AbortController().signal,
  });
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  await fake?.close();
});

describe('npm run demo with Slack tokens', () => {
  it('empties its database and queue keys on servers it was given, and says so', async () => {
    expect(said).toContain(`fresh start: emptied database ${env.dbName} on the MongoDB of MONGO_URL`);
    expect(
      said.some((line) => /^fresh start: removed [1-9]\d* .* key\(s\) from the Redis of REDIS_URL$/.test(line)),
    ).toBe(true);
    const redis = new Redis(env.redisUrl);
    expect(await redis.exists(`${env.queuePrefix}:promotions:stale`)).toBe(0);
    redis.disconnect();
  });

  it('connects the bot to that Slack instead of the playground, with the pipeline set up in its workspace', async () => {
    expect(demo.firstStep).toMatch(/in Slack, invite @pipeline/);
    expect((await fetch(`${demo.url}/healthz`)).ok).toBe(true);
    const slack = slackDriver({
      url: demo.url,
      secret: SIGNING_SECRET,
      responseUrl: fake.responseUrl,
      teamId: 'T0REAL',
    });
    const sent = await slack.command('show', 'U0SOMEONE');
    expect(sent.status).toBe(200);
    const answer = await waitFor(
      'the answer to /pipeline show',
      () => fake.responsesTo(sent.id)[0] as { text: string },
    );
    expect(answer.text).toContain('myapp-kim-dev ---+---> myapp-staging ---> myapp');
    expect(answer.text).not.toContain('old-app');
    // The workspace is the one the token belongs to, as Slack's auth.test says.
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(said.join('\n')).not.toMatch(/playground/);
  });
});
