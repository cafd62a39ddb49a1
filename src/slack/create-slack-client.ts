import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';

/** The bot's Web API client for work outside a Slack request (workers updating cards), pointed at SLACK_API_URL. */
export function createSlackClient(config: Config, options: { retries?: number } = {}): WebClient {
  return new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    ...(options.retries === undefined ? {} : { retryConfig: { retries: options.retries } }),
  });
}
