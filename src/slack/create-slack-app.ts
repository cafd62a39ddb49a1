import type { RequestListener } from 'node:http';
import { App, type AuthorizeResult, HTTPReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../create-logger.js';
import type { AppsStore } from '../pipelines/apps-store.js';
import type { ApproverDirectory } from '../promotions/approver-directory.js';
import type { PromotionsStore } from '../promotions/promotions-store.js';
import { registerCardActions } from './actions/card-actions.js';
import { boltLogger } from './bolt-logger.js';
import { channelAccess } from './channel-access.js';
import { answerCommand } from './commands/answer-command.js';
import type { CommandDeps } from './commands/command-deps.js';
import { registerAppHome } from './events/app-home.js';

export type SlackApp = {
  app: App;
  /** HTTP mode: Bolt's handler for POST /slack/events (signature checked); absent in Socket Mode. */
  requestListener?: RequestListener;
  /** Socket Mode connects here; HTTP mode has nothing to start (the web role's server carries it). */
  start(): Promise<void>;
  stop(): Promise<void>;
};

export type SlackAppOptions = {
  /** Web API retries on 5xx/network errors; tests lower it so a failing fake does not stall them. */
  retries?: number;
};

/**
 * The Slack surface (DESIGN §8): HTTP mode with signed requests, or Socket Mode when SLACK_APP_TOKEN is set;
 * every Web API call goes to SLACK_API_URL. Listeners ack first, then parse, call the core and answer.
 */
export type SlackAppDeps = Omit<CommandDeps, 'channelAccess'> & {
  config: Config;
  logger: Logger;
  promotionStore: PromotionsStore;
  apps: Pick<AppsStore, 'locked'>;
  approvers: ApproverDirectory;
};

export function createSlackApp(deps: SlackAppDeps, options: SlackAppOptions = {}): SlackApp {
  const { slack } = deps.config;
  const logger = boltLogger(deps.logger);
  const clientOptions = {
    slackApiUrl: slack.apiUrl,
    ...(options.retries === undefined ? {} : { retryConfig: { retries: options.retries } }),
  };
  const receiver = slack.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: slack.signingSecret ?? '',
        endpoints: '/slack/events',
        logger,
        processBeforeResponse: false,
      });
  // Our client for calls made outside a listener's own (which Bolt builds from what `authorize` returns).
  const client = new WebClient(slack.botToken, clientOptions);
  const app = new App({
    // auth.test runs on a workspace's first request instead of at boot, so a web process starts while Slack is
    // unreachable; and once per workspace an hour, not (as Bolt's own lazy check does) on every request.
    authorize: cachedAuthorize(client, slack.botToken),
    logger,
    clientOptions,
    ...(receiver ? { receiver } : { socketMode: true, appToken: slack.appToken }),
  });

  const commandDeps = { ...deps, channelAccess: channelAccess(client) };
  registerCardActions(app, deps);
  registerAppHome(app, { ...deps, apps: deps.apps, promotions: deps.promotionStore, places: deps.cards.places });

  app.command('/pipeline', async ({ command, ack, respond }) => {
    await ack();
    const ctx = {
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
    };
    // Every line this command logs says whose it was and where.
    const logger = deps.logger.child({ teamId: ctx.teamId, userId: ctx.userId, channelId: ctx.channelId });
    await respond(await answerCommand({ ...commandDeps, logger }, ctx, command.text ?? ''));
  });

  return {
    app,
    requestListener: receiver?.requestListener,
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async () => {
      if (!receiver) await app.stop();
    },
  };
}

/** Slack rate-limits auth.test: a workspace's answer is kept an hour (a failed one is not kept). */
const AUTHORIZED_FOR_MS = 60 * 60_000;

function cachedAuthorize(client: WebClient, botToken: string) {
  const known = new Map<string, { at: number; result: Promise<AuthorizeResult> }>();
  return (source: { teamId?: string; enterpriseId?: string }): Promise<AuthorizeResult> => {
    const key = source.teamId ?? source.enterpriseId ?? '';
    const cached = known.get(key);
    if (cached && Date.now() - cached.at < AUTHORIZED_FOR_MS) return cached.result;
    const result = client.auth.test({ token: botToken }).then((auth) => ({
      botToken,
      botId: auth.bot_id,
      botUserId: auth.user_id,
      teamId: auth.team_id,
      enterpriseId: auth.enterprise_id,
    }));
    known.set(key, { at: Date.now(), result });
    result.catch(() => known.delete(key));
    return result;
  };
}
