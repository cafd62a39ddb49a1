import { slackHeaders } from '../../src/playground/slack-signature.js';

let triggers = 0;

/** Drives the bot over HTTP the way Slack does: form-encoded, signed bodies to /slack/events. */
export function slackDriver(options: {
  url: string;
  secret: string;
  responseUrl: (id: string) => string;
  teamId?: string;
  channelId?: string;
}) {
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${options.url}/slack/events`, {
      method: 'POST',
      // Exactly this content type: Bolt rejects `; charset=…` for forms.
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackHeaders(options.secret, body),
        ...headers,
      },
      body,
    });
    return { status: res.status, body: await res.text() };
  };
  return {
    url: options.url,
    post,
    /** `/pipeline TEXT` from `userId`; returns the HTTP answer and the id its response_url reports under. */
    command: async (text: string, userId = 'U0ANA', extra: Record<string, string> = {}) => {
      const id = `cmd-${++triggers}`;
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: options.teamId ?? 'T0ACME',
        team_domain: 'acme',
        channel_id: options.channelId ?? 'C0DEPLOY',
        channel_name: 'deploys',
        user_id: userId,
        user_name: userId.toLowerCase(),
        command: '/pipeline',
        text,
        api_app_id: 'A0PIPE',
        trigger_id: `${id}.trigger`,
        response_url: options.responseUrl(id),
        ...extra,
      }).toString();
      return { id, raw: body, ...(await post(body)) };
    },
    /** A click on a message button, as Slack posts it (`payload=` JSON in a form). */
    click: async (actionId: string, value: string, userId: string, message: { channel: string; ts: string }) => {
      const id = `act-${++triggers}`;
      const payload = {
        type: 'block_actions',
        team: { id: options.teamId ?? 'T0ACME', domain: 'acme' },
        user: {
          id: userId,
          username: userId.toLowerCase(),
          name: userId.toLowerCase(),
          team_id: options.teamId ?? 'T0ACME',
        },
        api_app_id: 'A0PIPE',
        trigger_id: `${id}.trigger`,
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
        channel: { id: message.channel, name: 'deploys' },
        response_url: options.responseUrl(id),
        message: { type: 'message', ts: message.ts, text: 'card', blocks: [] },
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
      return { id, ...(await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString())) };
    },
    /** A modal's Submit. */
    submitView: async (
      callbackId: string,
      privateMetadata: string,
      values: Record<string, Record<string, { value: string }>>,
      userId: string,
    ) => {
      const payload = {
        type: 'view_submission',
        team: { id: options.teamId ?? 'T0ACME', domain: 'acme' },
        user: { id: userId, team_id: options.teamId ?? 'T0ACME' },
        api_app_id: 'A0PIPE',
        trigger_id: `view-${++triggers}.trigger`,
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: callbackId,
          private_metadata: privateMetadata,
          state: {
            values: Object.fromEntries(
              Object.entries(values).map(([b, a]) => [
                b,
                Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { type: 'plain_text_input', ...v }])),
              ]),
            ),
          },
          hash: 'h',
          blocks: [],
        },
      };
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    },
  };
}
