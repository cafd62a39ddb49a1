import { createHmac } from 'node:crypto';

/** Signs a body as Slack does: v0 HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

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
      return { id, ...(await post(body)) };
    },
  };
}
