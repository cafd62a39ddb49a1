import { randomUUID } from 'node:crypto';
import { PLAYGROUND_TEAM } from './playground-workspace.js';
import { slackHeaders } from './slack-signature.js';

/** Where a `response_url` answer goes: the user who acted, in which channel, on which message. */
export type ResponseTarget = { userId: string; channelId: string; messageTs?: string };
export type BotAnswer = { status: number; body: string };

const TRIGGER_LIFETIME_MS = 3_000;
const APP_ID = 'A0PIPELINE';
const MAX_RESPONSE_URLS = 5_000;

/**
 * Sends what a person does in the playground to the bot exactly as Slack would: signed, form-encoded slash
 * commands and interaction payloads, and JSON Events API callbacks, all to the bot's `/slack/events`. It also
 * hands out the trigger ids and response URLs those carry, and remembers whose they are.
 */
export function createSlackDelivery(options: { botUrl: string; signingSecret: string; baseUrl: () => string }) {
  const triggers = new Map<string, { userId: string; at: number }>();
  const responses = new Map<string, ResponseTarget>();
  const team = { id: PLAYGROUND_TEAM.id, domain: 'acme' };

  const trigger = (userId: string) => {
    const id = `${Date.now()}.${randomUUID().slice(0, 8)}`;
    triggers.set(id, { userId, at: Date.now() });
    for (const [key, t] of triggers) if (Date.now() - t.at > TRIGGER_LIFETIME_MS) triggers.delete(key);
    return id;
  };
  const responseUrl = (target: ResponseTarget) => {
    const id = randomUUID();
    responses.set(id, target);
    // Slack's response URLs lapse (30 minutes); keeping the newest few thousand is plenty here.
    if (responses.size > MAX_RESPONSE_URLS) responses.delete(responses.keys().next().value as string);
    return `${options.baseUrl()}/response/${id}`;
  };
  const send = async (body: string, contentType: string): Promise<BotAnswer> => {
    const res = await fetch(`${options.botUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(options.signingSecret, body) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.text() };
  };
  // Exactly this content type: Bolt refuses `; charset=…` on forms, as Slack never sends it.
  const sendForm = (fields: Record<string, string>) =>
    send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  const sendPayload = (payload: object) => sendForm({ payload: JSON.stringify(payload) });
  const user = (userId: string) => ({ id: userId, username: userId.toLowerCase(), team_id: team.id });

  return {
    triggers: {
      userOf(id: string): string | undefined {
        const found = triggers.get(id);
        return found && Date.now() - found.at <= TRIGGER_LIFETIME_MS ? found.userId : undefined;
      },
    },
    responseTarget: (id: string) => responses.get(id),

    command: (userId: string, channelId: string, text: string) =>
      sendForm({
        token: 'playground',
        team_id: team.id,
        team_domain: team.domain,
        channel_id: channelId,
        user_id: userId,
        user_name: userId.toLowerCase(),
        command: '/pipeline',
        text,
        api_app_id: APP_ID,
        trigger_id: trigger(userId),
        response_url: responseUrl({ userId, channelId }),
      }),

    click: (userId: string, channelId: string, messageTs: string, action: ButtonClick) =>
      sendPayload({
        type: 'block_actions',
        team,
        user: user(userId),
        api_app_id: APP_ID,
        trigger_id: trigger(userId),
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
        channel: { id: channelId },
        response_url: responseUrl({ userId, channelId, messageTs }),
        message: { type: 'message', ts: messageTs },
        state: { values: {} },
        actions: [{ type: 'button', ...action, action_ts: `${Date.now() / 1000}` }],
      }),

    submitView: (
      userId: string,
      view: { id: string; callback_id?: unknown; private_metadata?: unknown },
      values: ViewValues,
    ) =>
      sendPayload({
        type: 'view_submission',
        team,
        user: user(userId),
        api_app_id: APP_ID,
        trigger_id: trigger(userId),
        view: { ...view, type: 'modal', state: { values: typedValues(values) }, hash: randomUUID() },
      }),

    openHome: (userId: string) =>
      send(
        JSON.stringify({
          token: 'playground',
          team_id: team.id,
          api_app_id: APP_ID,
          type: 'event_callback',
          event_id: `Ev${randomUUID().slice(0, 10)}`,
          event_time: Math.floor(Date.now() / 1000),
          event: {
            type: 'app_home_opened',
            user: userId,
            channel: `D${userId}`,
            tab: 'home',
            event_ts: `${Date.now() / 1000}`,
          },
        }),
        'application/json',
      ),
  };
}

export type ButtonClick = { action_id: string; block_id: string; value: string };
/** What the person typed: `{ blockId: { actionId: text } }`. */
export type ViewValues = Record<string, Record<string, string>>;
export type SlackDelivery = ReturnType<typeof createSlackDelivery>;

function typedValues(values: ViewValues) {
  return Object.fromEntries(
    Object.entries(values).map(([block, actions]) => [
      block,
      Object.fromEntries(Object.entries(actions).map(([id, value]) => [id, { type: 'plain_text_input', value }])),
    ]),
  );
}
