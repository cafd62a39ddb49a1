import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMentions } from '../../src/playground/escape-mentions.js';
import { type Playground, startPlayground } from '../../src/playground/start-playground.js';

const BOT_TOKEN = 'xoxb-playground-test';
let playground: Playground;
const logged: string[] = [];

beforeAll(async () => {
  // No bot behind it: these tests call the playground's Slack API the way the bot's client does.
  playground = await startPlayground({
    port: 0,
    botUrl: 'http://127.0.0.1:9',
    signingSecret: 'secret',
    botToken: BOT_TOKEN,
    log: (line) => logged.push(line),
  });
});
afterAll(() => playground.close());

const client = (token = BOT_TOKEN) =>
  new WebClient(token, { slackApiUrl: playground.apiUrl, retryConfig: { retries: 0 } });
const state = async () => (await (await fetch(`${playground.url}/state`)).json()) as { errors: { text: string }[] };

/** The next event of the page's stream with this name; resolves once subscribed (the stream's headers are in). */
async function nextEvent(name: string): Promise<{ event: Promise<unknown> }> {
  const res = await fetch(`${playground.url}/events`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const event = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += new TextDecoder().decode(value);
      const found = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffer);
      if (found) {
        await reader.cancel();
        return JSON.parse(found[1] as string);
      }
    }
  })();
  return { event };
}

describe('the playground as the bot’s Slack', () => {
  it('answers chat.postMessage as Slack does, and tells the page at once', async () => {
    const stream = await nextEvent('message');
    const posted = await client().chat.postMessage({ channel: 'C0DEPLOY', text: 'hello' });
    expect(posted).toMatchObject({ ok: true, channel: 'C0DEPLOY', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(await stream.event).toMatchObject({ channel: 'C0DEPLOY', ts: posted.ts, text: 'hello', user: 'U0BOT' });
    await expect(client().chat.update({ channel: 'C0DEPLOY', ts: '1.000001', text: 'x' })).rejects.toThrow(
      /message_not_found/,
    );
  });

  it('shows a method it does not implement as an error in the page and the log, never as a quiet success', async () => {
    const stream = await nextEvent('error');
    await expect(client().apiCall('users.profile.get', { user: 'U0BOB' })).rejects.toThrow(/unknown_method/);
    const text = 'the bot called users.profile.get, which the playground does not implement';
    expect(await stream.event).toMatchObject({ text });
    expect((await state()).errors.map((e) => e.text)).toContain(text);
    expect(logged).toContain(`playground: ${text}`);
  });

  it('refuses a token it did not give out, and a modal opened without a live trigger', async () => {
    await expect(client('xoxb-someone-else').auth.test()).rejects.toThrow(/invalid_auth/);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x' }, blocks: [] };
    await expect(client().views.open({ trigger_id: '123.abc', view })).rejects.toThrow(/expired_trigger_id/);
    expect((await state()).errors.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/invalid_auth/),
        expect.stringMatching(/views.open answered expired_trigger_id/),
      ]),
    );
  });

  it('posts text that is no command as the person’s message in the channel, as Slack does', async () => {
    const stream = await nextEvent('message');
    const res = await fetch(`${playground.url}/ui/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'U0BOB', channelId: 'C0DEPLOY', text: 'deploying after lunch, @carol' }),
    });
    expect(await res.json()).toEqual({ ok: true });
    expect(await stream.event).toMatchObject({ user: 'U0BOB', text: 'deploying after lunch, <@U0CAROL|carol>' });
    expect((await stream.event) as object).not.toHaveProperty('ephemeralTo');
  });

  it('takes UI calls as JSON only, so another web page cannot post a command through the browser', async () => {
    const res = await fetch(`${playground.url}/ui/command`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ userId: 'U0ALICE', channelId: 'C0DEPLOY', text: 'promote myapp-staging' }),
    });
    expect(res.status).toBe(415);
  });

  it('keeps a message whose text looks like JSON as text, as Slack does', async () => {
    const posted = await client().chat.postMessage({ channel: 'C0DEPLOY', text: '{"not":"blocks"}' });
    expect(posted.ok).toBe(true);
    const { messages } = (await (await fetch(`${playground.url}/state`)).json()) as {
      messages: { ts: string; text: string }[];
    };
    expect(messages.find((m) => m.ts === posted.ts)?.text).toBe('{"not":"blocks"}');
  });

  it('escapes what a person types as Slack does for a command with should_escape', () => {
    expect(escapeMentions('policy myapp approvers=@bob,@sre')).toBe(
      'policy myapp approvers=<@U0BOB|bob>,<!subteam^S0SRE|@sre>',
    );
    expect(escapeMentions('notify myapp #releases')).toBe('notify myapp <#C0RELEASES|releases>');
    expect(escapeMentions('notify myapp #nowhere a@b.c')).toBe('notify myapp #nowhere a@b.c');
  });
});
