import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { lapseLocks } from '../../src/pipelines/lapse-locks.js';
import { slackHeaders } from '../../src/playground/slack-signature.js';
import { lapseLine } from '../../src/slack/blocks/lock-line.js';
import { createCardPublisher } from '../../src/slack/card-publisher.js';
import { answerCommand } from '../../src/slack/commands/answer-command.js';
import { parseCommand } from '../../src/slack/commands/parse-command.js';
import { VERBS } from '../../src/slack/commands/verbs.js';
import { createSlackClient } from '../../src/slack/create-slack-client.js';
import { aPromotion } from '../support/a-promotion.js';
import type { Harness } from '../support/promotion-harness.js';
import type { SlackFake } from '../support/slack-fake.js';
import { SIGNING_SECRET, startSlackHarness } from '../support/slack-harness.js';

// End to end: signed HTTP requests into the real Bolt app, its Web API calls and response_url posts into a fake
// Slack, the core on real Redis, FerretDB and the platform simulator.
let s: Awaited<ReturnType<typeof startSlackHarness>>;
let h: Harness;
let fake: SlackFake;
let slack: Awaited<ReturnType<typeof startSlackHarness>>['slack'];
const slackClient = () => h.deps.slackClient;
const SECRET = SIGNING_SECRET;

beforeAll(async () => {
  s = await startSlackHarness('slackcmd');
  ({ h, fake, slack } = s);
}, 60_000);
afterAll(() => s?.stop());

/** Sends `/pipeline text` and waits for the answer Bolt posts to its response_url. */
async function run(text: string, userId = 'U0ANA') {
  const sent = await slack.command(text, userId);
  expect(sent.status).toBe(200);
  return waitFor(
    `the answer to "${text}"`,
    () => fake.responsesTo(sent.id)[0] as { response_type: string; text: string } | undefined,
  );
}

const auditCount = () => h.deps.db.collection('audit').countDocuments({});

describe('/pipeline over signed HTTP', () => {
  it('lists every verb for help, only to the asker', async () => {
    const answer = await run('help');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text.split('\n')).toHaveLength(VERBS.length);
    expect(answer.text).toContain('`/pipeline promote [UPSTREAM]`  promote');
  });

  it("shows the seed's team pipeline, drawn as the pipelines plugin did", async () => {
    const answer = await run('show myapp');
    expect(answer.text).toBe(
      '```\nPipeline: myapp-jim-dev ---+\n          myapp-kim-dev ---+---> myapp-staging ---> myapp\n```',
    );
  });

  it('announces a new link in the channel, and refuses a cycle with the reason (no usage line: nothing was mistyped)', async () => {
    await h.control.addApp('billing-staging');
    await h.control.addApp('billing');
    const added = await run('add billing-staging billing');
    expect(added).toEqual({
      response_type: 'in_channel',
      text: '<@U0ANA> made billing the downstream of billing-staging:\n```\nPipeline: billing-staging ---> billing\n```',
    });
    const refused = await run('add billing billing-staging');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe(
      // A refusal of what was asked, not a typing mistake: no usage line.
      'Cannot make billing-staging the downstream of billing: it would close a cycle: billing ---> billing-staging ---> billing.',
    );
  });

  it('changes a policy for the channel to see, and explains a bad value', async () => {
    const changed = await run('policy myapp approvals=2 approvers=<@U0BOB|bob>,<!subteam^S0SRE|@sre> expires=30m');
    expect(changed.response_type).toBe('in_channel');
    expect(changed.text).toBe(
      '<@U0ANA> changed the promotion policy of myapp: 2 approvals from <@U0BOB>, <!subteam^S0SRE>, self-approval off, requests expire after 30m, rollbacks need none.',
    );
    const bad = await run('policy myapp approvals=lots');
    expect(bad.text).toMatch(/^approvals must be a whole number from 0 to 10 \(e\.g\. approvals=2\); got "lots"\./);
  });

  it('refuses an app the platform does not have, for every command that names one, and suggests the nearest', async () => {
    const before = await auditCount();
    const missing = (app: string, hint = ' Check the name with `heroku apps`.') =>
      `There is no app named ${app} on Heroku (or our token cannot see it).${hint}`;
    expect((await run('add typo-app-xyz myapp')).text).toBe(missing('typo-app-xyz'));
    expect((await run('add myapp-staging myapp-prodd')).text).toBe(missing('myapp-prodd'));
    expect((await run('use nosuch-app-zz')).text).toBe(missing('nosuch-app-zz'));
    expect((await run('lock myapp-staging2')).text).toBe(missing('myapp-staging2', ' Did you mean myapp-staging?'));
    expect((await run('unlock myapp-staging2')).text).toBe(missing('myapp-staging2', ' Did you mean myapp-staging?'));
    expect((await run('policy myap approvals=2')).text).toBe(missing('myap', ' Did you mean myapp?'));
    expect((await run('repo nosuch-app-zz acme/web')).text).toBe(missing('nosuch-app-zz'));
    // Nothing was drawn, set, locked or audited for any of them.
    expect(await auditCount()).toBe(before);
    expect((await run('show')).text).not.toContain('typo-app-xyz');
  });

  it('gives one usage line for what did not parse, and none for what the platform or the state refused', async () => {
    const usages = (text: string) => text.split('Usage:').length - 1;
    const unknownSetting = (await run('policy myapp foo=bar')).text;
    expect(unknownSetting).toMatch(/^"foo=bar" is not a policy setting: the settings are approvals, approvers,/);
    expect(usages(unknownSetting)).toBe(1);
    const whichApp = (await slack.command('releases', 'U0ANA', { channel_id: 'C0NODEFAULT' })).id;
    const answer = await waitFor('the answer', () => fake.responsesTo(whichApp)[0] as { text: string } | undefined);
    expect(usages(answer.text)).toBe(1);
    for (const text of ['releases nosuch-app-zz', 'rollback nosuch-app-zz']) {
      expect((await run(text)).text).toBe(
        'There is no app named nosuch-app-zz on Heroku (or our token cannot see it). Check the name with `heroku apps`.',
      );
    }
  });

  it('locks for a while: says until when, lapses on time, and says so in the channel where it was taken', async () => {
    const taken = (await run('lock myapp-kim-dev 2h "incident 42"')).text;
    expect(taken).toMatch(
      /^:lock: <@U0ANA> locked myapp-kim-dev for 2h: "incident 42"\. Promotions into it are refused until <!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]+> \(or \/pipeline unlock myapp-kim-dev\)\.$/,
    );
    expect((await run('lock myapp-kim-dev 99999d')).text).toMatch(
      /^The lock duration must be .*Usage: \/pipeline lock/,
    );
    // Meant as a duration but not one we take: refused, never read as the reason of a lock for good.
    for (const word of ['90s', '1w', '2hrs']) {
      expect((await run(`lock myapp-jim-dev ${word} x`)).text).toMatch(/^The lock duration must be /);
    }
    expect((await run('lock myapp-jim-dev 2H "a\u0007b"')).text).toMatch(
      /^:lock: <@U0ANA> locked myapp-jim-dev for 2h: "a b"\./,
    );
    await run('unlock myapp-jim-dev');
    const tellings: { app: string; channelId: string }[] = [];
    const lapse = (msFromNow: number) =>
      lapseLocks({
        ...h.deps.stores,
        logger: h.deps.logger,
        now: () => new Date(Date.now() + msFromNow),
        tellLapsed: async (app, lock) => {
          tellings.push({ app, channelId: lock.channelId });
          await slackClient().chat.postMessage({ channel: lock.channelId, text: lapseLine(app, lock) });
        },
      });
    expect(await lapse(60_000)).toBe(0);
    expect(await lapse(2 * 3_600_000 + 1_000)).toBe(1);
    expect(await lapse(2 * 3_600_000 + 2_000)).toBe(0);
    expect(tellings).toEqual([{ app: 'myapp-kim-dev', channelId: 'C0DEPLOY' }]);
    const told = fake.callsTo('chat.postMessage').filter((c) => String(c.params.text).includes('lapsed'));
    expect(told.map((c) => [c.params.channel, c.params.text])).toEqual([
      [
        'C0DEPLOY',
        `:unlock: <@U0ANA>'s lock on myapp-kim-dev lapsed: "incident 42". Promotions into it are allowed again.`,
      ],
    ]);
    expect((await run('show myapp-kim-dev')).text).not.toContain(':lock:');
    const trail = (await run('history myapp-kim-dev')).text;
    expect(trail).toContain(`<@U0ANA>'s lock on myapp-kim-dev lapsed: "incident 42"`);
    expect(trail).toMatch(/<@U0ANA> locked myapp-kim-dev: "incident 42" until <!date\^\d+\^/);
  });

  it('locks and unlocks, and says when there is nothing to unlock', async () => {
    expect((await run('lock myapp "release freeze"')).text).toBe(
      ':lock: <@U0ANA> locked myapp: "release freeze". Promotions into it are refused until /pipeline unlock myapp.',
    );
    // Shown wherever the app is: by whom, since when, why.
    const lockLine =
      /:lock: myapp is locked by <@U0ANA> \(\ds ago\): "release freeze"\. Promotions into it are refused until \/pipeline unlock myapp\./;
    expect((await run('show myapp')).text).toMatch(lockLine);
    expect((await run('policy myapp')).text).toMatch(lockLine);
    // Someone else's lock: whose it was and why, the holder mentioned (so told).
    expect((await run('unlock myapp', 'U0BOB')).text).toMatch(
      /^:unlock: <@U0BOB> unlocked myapp, lifting <@U0ANA>'s lock \(\ds ago\): "release freeze"\.$/,
    );
    expect((await run('show myapp')).text).not.toContain(':lock:');
    // What the channel reads is what was typed: Slack's <!channel> for a typed @channel pings nobody from here.
    expect((await run('lock myapp <!channel> deploying')).text).toBe(
      ':lock: <@U0ANA> locked myapp: "@channel deploying". Promotions into it are refused until /pipeline unlock myapp.',
    );
    expect((await run('unlock myapp')).text).toMatch(
      /^:unlock: <@U0ANA> unlocked myapp \(locked \ds ago\): "@channel deploying"\.$/,
    );
    expect((await run('unlock myapp')).text).toBe('myapp is not locked, so there is nothing to unlock.');
  });

  it("lists releases in the seed's format, for the channel's default app when none is named", async () => {
    await run('use myapp-staging');
    const answer = await run('releases 2');
    const lines = answer.text.split('\n');
    expect(lines[0]).toBe('myapp-staging releases:');
    expect(lines[2]).toMatch(/^v3 {2}Deploy [0-9a-f]{7} {2}you@yourcompany\.com {2}\d+s ago$/);
    expect(lines[3]).toMatch(/^v2 {2}Deploy [0-9a-f]{7} {2}you@yourcompany\.com/);
  });

  it('reads app names quoted or capitalised, and says an out-of-range number plainly', async () => {
    expect((await run('releases \u201cMyApp-Staging\u201d 2')).text.split('\n')[0]).toBe('myapp-staging releases:');
    expect((await run("releases 'myapp-staging' 1")).text.split('\n')[0]).toBe('myapp-staging releases:');
    expect((await run('releases myapp 500')).text).toBe(
      'N must be between 1 and 50. Usage: /pipeline releases [APP] [N]',
    );
  });

  it('logs an error when Slack posts a card without saying where (its ts): that card can never be updated', async () => {
    const logged: { level: number; msg: string; promotionId?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const cards = createCardPublisher({
      client: createSlackClient(h.deps.config, { retries: 0 }),
      db: h.deps.db,
      ...h.deps.stores,
      logger,
    });
    fake.fail('chat.postMessage', { okWithout: 'ts', times: 1 });
    const p = aPromotion({ id: '7a1d2a52-5f0c-4b8e-9d1e-0c3b2a1f9e77' });
    await cards.post(p, 'C0DEPLOY');
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 50, promotionId: p.id, msg: expect.stringContaining('without a ts') }),
    );
  });

  it('answers bad input with the usage and writes nothing', async () => {
    const before = await auditCount();
    expect((await run('deploy everything now')).text).toMatch(
      /^"deploy" is not a \/pipeline command\. Try \/pipeline help/,
    );
    expect((await run('x'.repeat(400))).text).toMatch(
      /^"x{40}…" is not a valid app name: .*\nUsage: \/pipeline \[show\] \[APP\]$/s,
    );
    expect((await run('add myapp')).text).toBe('Something is missing. Usage: /pipeline add UPSTREAM DOWNSTREAM');
    expect(await auditCount()).toBe(before);
  });

  it('rejects forged and stale requests with 401, answering and writing nothing', async () => {
    const before = await auditCount();
    const body = new URLSearchParams({
      team_id: 'T0ACME',
      user_id: 'U0EVE',
      command: '/pipeline',
      text: 'lock myapp',
      response_url: fake.responseUrl('forged'),
      trigger_id: 'x',
    }).toString();
    expect((await slack.post(body, slackHeaders('wrong-secret', body))).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await slack.post(body, slackHeaders(SECRET, body, stale))).status).toBe(401);
    // A genuine command sent after them is answered: had the forged ones been taken, their answers would be in too.
    const genuine = await slack.command('help');
    await waitFor('the genuine command to be answered', () => fake.responsesTo(genuine.id)[0]);
    expect(fake.responsesTo('forged')).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('never throws and never writes, whatever unreadable text arrives; every refusal names a usage', async () => {
    const cards = createCardPublisher({
      client: createSlackClient(h.deps.config, { retries: 0 }),
      db: h.deps.db,
      ...h.deps.stores,
      logger: h.deps.logger,
    });
    const deps = {
      ...h.deps,
      ...h.deps.ports,
      audit: h.deps.stores.audit,
      cards,
      channelAccess: async () => 'ok' as const,
    };
    const ctx = { teamId: 'T0ACME', userId: 'U0EVE', channelId: 'C0NOISE', triggerId: 'prop.trigger' };
    const before = await auditCount();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (text) => {
        let readable = true;
        try {
          parseCommand(text);
        } catch {
          readable = false;
        }
        fc.pre(!readable);
        const reply = await answerCommand(deps, ctx, text);
        expect(reply.response_type).toBe('ephemeral');
        expect(reply.text).toMatch(/Usage: \/pipeline|\/pipeline help|quote is not closed/);
      }),
      { numRuns: 300 },
    );
    expect(await auditCount()).toBe(before);
  });
});
