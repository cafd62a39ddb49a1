import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';

/**
 * The bot's Web API client for work outside a Slack request (workers updating cards), pointed at SLACK_API_URL.
 * `rejectRateLimitedCalls`: a 429 throws with its Retry-After instead of pausing every call of this client.
 */
export function createSlackClient(
  config: Config,
  options: { retries?: number; rejectRateLimitedCalls?: boolean } = {},
): WebClient {
  return new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
    ...(options.retries === undefined ? {} : { retryConfig: { retries: options.retries } }),
  });
}
