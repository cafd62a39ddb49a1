import { createHmac } from 'node:crypto';

/** Signs a body as Slack does: v0 HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}
