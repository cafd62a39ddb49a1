import { randomUUID } from 'node:crypto';
import { slackHeaders } from '../../src/playground/slack-signature.js';

export const TEAM_ID = 'T0ACME';

/** One delivery exactly as sent: sending `raw` again is a byte-for-byte replay (same signature, same timestamp). */
export type SignedRequest = { body: string; headers: Record<string, string> };
export type Delivery = { status: number; text: string };
/** `id`: where the bot's answer to this command or click lands in the fake Slack (its response_url). */
export type Prepared = { id: string; triggerId: string; raw: SignedRequest };
export type Sent = Delivery & Prepared;

/** How a request is signed: as Slack does, with another secret, or with a timestamp Bolt must call stale. */
export type Signing = 'slack' | 'wrong-secret' | 'stale';

const STALE_SECONDS = 6 * 60;
const SEND_TIMEOUT_MS = 15_000;

/**
 * Sends what people do in Slack to the bot's `/slack/events`, signed as Slack signs it (v0 HMAC over timestamp and
 * raw body): slash commands, and button clicks as `block_actions` payloads. Nothing here is a secret in the logs:
 * the signing secret only ever leaves as an HMAC.
 */
export function createSlackSender(options: {
  botUrl: () => string;
  secret: string;
  responseUrl: (id: string) => string;
}) {
  const sign = (body: string, signing: Signing): SignedRequest => {
    const now = Math.floor(Date.now() / 1000);
    const headers =
      signing === 'wrong-secret'
        ? slackHeaders(`not-${options.secret}`, body, now)
        : slackHeaders(options.secret, body, signing === 'stale' ? now - STALE_SECONDS : now);
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } };
  };
  const send = async (raw: SignedRequest): Promise<Delivery> => {
    try {
      const res = await fetch(`${options.botUrl()}/slack/events`, {
        method: 'POST',
        headers: raw.headers,
        body: raw.body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      // Status 0: no HTTP answer at all (the web process is down or hung).
      return { status: 0, text: (err as Error).message };
    }
  };
  const sent = async (prepared: Prepared): Promise<Sent> => ({ ...prepared, ...(await send(prepared.raw)) });

  /** `/pipeline TEXT` typed by `userId` in `channelId`, signed, not sent yet. */
  const commandRequest = (userId: string, channelId: string, text: string, signing: Signing = 'slack'): Prepared => {
    const id = `cmd-${randomUUID()}`;
    const triggerId = `${Date.now()}.${randomUUID().slice(0, 12)}`;
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      team_domain: 'acme',
      channel_id: channelId,
      channel_name: channelId.toLowerCase(),
      user_id: userId,
      user_name: userId.toLowerCase(),
      command: '/pipeline',
      text,
      api_app_id: 'A0PIPE',
      trigger_id: triggerId,
      response_url: options.responseUrl(id),
    }).toString();
    return { id, triggerId, raw: sign(body, signing) };
  };

  /** A click on a card's button (`value`: the request id, as the card carries it), signed, not sent yet. */
  const clickRequest = (
    userId: string,
    card: { channelId: string; ts: string },
    actionId: string,
    value: string,
    signing: Signing = 'slack',
  ): Prepared => {
    const id = `act-${randomUUID()}`;
    const triggerId = `${Date.now()}.${randomUUID().slice(0, 12)}`;
    const payload = {
      type: 'block_actions',
      team: { id: TEAM_ID, domain: 'acme' },
      user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM_ID },
      api_app_id: 'A0PIPE',
      token: 'legacy-verification-token',
      trigger_id: triggerId,
      container: { type: 'message', message_ts: card.ts, channel_id: card.channelId, is_ephemeral: false },
      channel: { id: card.channelId, name: card.channelId.toLowerCase() },
      response_url: options.responseUrl(id),
      message: { type: 'message', ts: card.ts, text: 'card', blocks: [] },
      state: { values: {} },
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'promotion_actions',
          value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { id, triggerId, raw: sign(body, signing) };
  };

  return {
    /** Sends a request as prepared; again, it is a replay. */
    send,
    commandRequest,
    clickRequest,
    command: (...args: Parameters<typeof commandRequest>) => sent(commandRequest(...args)),
    click: (...args: Parameters<typeof clickRequest>) => sent(clickRequest(...args)),
  };
}

export type SlackSender = ReturnType<typeof createSlackSender>;
