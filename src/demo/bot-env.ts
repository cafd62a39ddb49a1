import type { DemoConfig } from '../config.js';
import { SIMULATOR_TOKEN } from '../simulator/simulator-defaults.js';

/** Where the bot's stores are, and what the demo started for it. */
export type BotEnvParts = {
  redisUrl: string;
  mongoUrl: string;
  queuePrefix: string;
  port: number;
  simulatorUrl?: string;
  playgroundApi?: string;
  secrets: { signing: string; bot: string; webhook: string };
};

/** The bot's whole environment: nothing is inherited but PATH and HOME, so no stray variable changes the demo. */
export function botEnv(config: DemoConfig, parts: BotEnvParts): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...config.inherit,
    PIPELINE_BOT_ROLE: 'all',
    PORT: String(parts.port),
    LOG_LEVEL: config.logLevel,
    REDIS_URL: parts.redisUrl,
    MONGO_URL: parts.mongoUrl,
    QUEUE_PREFIX: parts.queuePrefix,
    ...slackEnv(config, parts),
    ...platformEnv(config, parts),
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function slackEnv(config: DemoConfig, parts: BotEnvParts): Record<string, string | undefined> {
  if (!config.slack) {
    return {
      SLACK_BOT_TOKEN: parts.secrets.bot,
      SLACK_SIGNING_SECRET: parts.secrets.signing,
      SLACK_API_URL: parts.playgroundApi,
    };
  }
  const { botToken, signingSecret, appToken, apiUrl } = config.slack;
  return {
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: apiUrl,
  };
}

function platformEnv(config: DemoConfig, parts: BotEnvParts): Record<string, string | undefined> {
  const github = { GITHUB_TOKEN: config.github.token, GITHUB_API_URL: config.github.apiUrl };
  if (config.heroku) {
    const { apiKey, apiUrl, webhookSecret } = config.heroku;
    return {
      PLATFORM: 'heroku',
      HEROKU_API_KEY: apiKey,
      HEROKU_API_URL: apiUrl,
      HEROKU_WEBHOOK_SECRET: webhookSecret,
      ...github,
    };
  }
  return {
    PLATFORM: 'simulator',
    HEROKU_API_URL: parts.simulatorUrl,
    HEROKU_API_KEY: SIMULATOR_TOKEN,
    HEROKU_WEBHOOK_SECRET: parts.secrets.webhook,
  };
}
