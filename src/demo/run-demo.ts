import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { type DemoConfig, loadConfig, withDatabase } from '../config.js';
import { createLogger } from '../create-logger.js';
import { createDeps } from '../deps.js';
import { startFerretDb } from '../local-services/ferretdb-server.js';
import { freePort } from '../local-services/free-port.js';
import { startRedisServer } from '../local-services/redis-server.js';
import { createPlatformPanel } from '../playground/platform-panel.js';
import { PLAYGROUND_SETUP_USER, PLAYGROUND_TEAM } from '../playground/playground-workspace.js';
import { startPlayground } from '../playground/start-playground.js';
import { applySeed, loadSeed } from '../simulator/sim-seed.js';
import { createSimState } from '../simulator/sim-state.js';
import { SIMULATOR_TOKEN } from '../simulator/simulator-defaults.js';
import { TEAM_SEED } from '../simulator/start-embedded-simulator.js';
import { startSimulator } from '../simulator/start-simulator.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { cleanUpEarlierRuns, createDemoFolder } from './demo-folder.js';
import { seedBot } from './seed-bot.js';

export const DEMO_DATABASE = 'pipeline-bot-demo';
export const DEMO_QUEUE_PREFIX = '{pipeline-bot-demo}';
const CHANNELS = { work: 'C0DEPLOY', announcements: 'C0RELEASES' };

export type DemoOptions = {
  config: DemoConfig;
  /** Preferred ports; a taken one is swapped for a free one, and said so. 0: any free port. */
  ports: { bot: number; playground: number; simulator: number };
  say: (line: string) => void;
  /** Aborted by a Ctrl-C while starting: what has started is stopped, and runDemo rejects. */
  signal: AbortSignal;
};

export type Demo = { url: string; firstStep: string; stop(): Promise<void> };

/**
 * Everything `npm run demo` runs, on embedded defaults: throwaway Redis and FerretDB (unless the config names
 * servers), the seeded simulator (unless a Heroku key is set), the playground (unless real Slack tokens are set)
 * and the bot in role `all`, seeded with the team pipeline. `stop` ends them in reverse order.
 */
export async function runDemo(options: DemoOptions): Promise<Demo> {
  const { config, say, signal } = options;
  for (const note of cleanUpEarlierRuns()) say(note);
  const folder = createDemoFolder();
  const stops: (() => Promise<void>)[] = [async () => folder.remove()];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      await step().catch((err: Error) => say(`while stopping: ${err.message}`));
    }
  };
  try {
    const stores = await startStores(config, folder, stops, say);
    const port = async (preferred: number, what: string) => {
      signal.throwIfAborted();
      return portOr(preferred, what, say);
    };
    const botPort = await port(options.ports.bot, 'the bot');
    const botUrl = `http://127.0.0.1:${botPort}`;
    const simulator = config.heroku
      ? undefined
      : await startSeededSimulator(await port(options.ports.simulator, 'the simulator'));
    if (simulator) stops.push(simulator.close);
    const secrets = { signing: randomSecret(), bot: `xoxb-playground-${randomSecret()}`, webhook: randomSecret() };
    const playground = config.slack
      ? undefined
      : await startPlayground({
          port: await port(options.ports.playground, 'the playground'),
          botUrl,
          signingSecret: secrets.signing,
          botToken: secrets.bot,
          platform: simulator && createPlatformPanel({ ...simulator, token: SIMULATOR_TOKEN }),
          log: say,
        });
    if (playground) stops.push(playground.close);
    const env = botEnv(config, {
      ...stores,
      port: botPort,
      simulatorUrl: simulator?.url,
      playgroundApi: playground?.apiUrl,
      secrets,
    });
    say(`starting the bot (role all) on ${botUrl}`);
    const log = (line: string) => printBotLine(line, config.logLevel, say);
    const bot: BotProcess = await startBotProcess(env, log, signal, folder.track);
    stops.push(bot.stop);
    simulator?.webhooks.subscribe({ url: `${botUrl}/webhooks/heroku`, secret: secrets.webhook });
    await seedBotSide(env, config, Boolean(playground));
    signal.throwIfAborted();
    return {
      url: playground?.url ?? botUrl,
      firstStep: playground
        ? 'type /pipeline show, then /pipeline diff myapp-staging'
        : 'in Slack, invite @pipeline to a channel and type /pipeline show',
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

type Stores = { redisUrl: string; mongoUrl: string };

async function startStores(
  config: DemoConfig,
  folder: ReturnType<typeof createDemoFolder>,
  stops: (() => Promise<void>)[],
  say: (line: string) => void,
): Promise<Stores> {
  const placement = { parentDir: folder.dir, detached: true };
  const start = async (what: string, starting: () => ReturnType<typeof startRedisServer>) => {
    const server = await starting();
    folder.track(server.pid());
    stops.push(server.destroy);
    say(`started a throwaway ${what} on ${server.url} (data in ${folder.dir}, removed on exit)`);
    return server.url;
  };
  const redisUrl = config.redisUrl ?? (await start('Redis', () => startRedisServer(placement)));
  const mongoUrl = withDatabase(
    config.mongoUrl ?? (await start('FerretDB', () => startFerretDb(placement))),
    DEMO_DATABASE,
  );
  if (config.redisUrl || config.mongoUrl) await resetGivenStores({ redisUrl, mongoUrl }, config, say);
  else say('fresh start: new Redis, FerretDB and simulator; nothing is kept between runs');
  return { redisUrl, mongoUrl };
}

/** Servers the user gave keep data between runs: the demo's own database and queue keys start empty each time. */
async function resetGivenStores(stores: Stores, config: DemoConfig, say: (line: string) => void): Promise<void> {
  if (config.mongoUrl) {
    const client = new MongoClient(stores.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
    say(`fresh start: emptied database ${DEMO_DATABASE} on the MongoDB of MONGO_URL`);
  }
  if (config.redisUrl) {
    const redis = new Redis(stores.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let removed = 0;
      for await (const keys of redis.scanStream({ match: `${DEMO_QUEUE_PREFIX}*`, count: 500 })) {
        if ((keys as string[]).length) removed += await redis.del(...(keys as string[]));
      }
      say(`fresh start: removed ${removed} ${DEMO_QUEUE_PREFIX} key(s) from the Redis of REDIS_URL`);
    } finally {
      redis.disconnect();
    }
  }
}

async function startSeededSimulator(port: number) {
  const state = createSimState();
  applySeed(state, await loadSeed(TEAM_SEED));
  return startSimulator({ port, token: SIMULATOR_TOKEN, state });
}

type BotEnvParts = Stores & {
  port: number;
  simulatorUrl?: string;
  playgroundApi?: string;
  secrets: { signing: string; bot: string; webhook: string };
};

/** The bot's whole environment: nothing is inherited but PATH and HOME, so no stray variable changes the demo. */
function botEnv(config: DemoConfig, parts: BotEnvParts): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PIPELINE_BOT_ROLE: 'all',
    PORT: String(parts.port),
    LOG_LEVEL: config.logLevel,
    REDIS_URL: parts.redisUrl,
    MONGO_URL: parts.mongoUrl,
    QUEUE_PREFIX: DEMO_QUEUE_PREFIX,
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

/** Pipelines only make sense on the simulator's apps; channels only in the playground, whose ids are known. */
async function seedBotSide(env: Record<string, string>, config: DemoConfig, playground: boolean): Promise<void> {
  if (config.heroku) return;
  const deps = createDeps(loadConfig(env), createLogger('silent'));
  try {
    const teamId = playground ? PLAYGROUND_TEAM.id : await slackTeamOf(deps);
    await seedBot(deps, { teamId, userId: PLAYGROUND_SETUP_USER.id }, playground ? CHANNELS : undefined);
  } finally {
    await deps.close();
  }
}

/** With real Slack, the workspace is the one the bot token belongs to. */
async function slackTeamOf(deps: ReturnType<typeof createDeps>): Promise<string> {
  const { WebClient } = await import('@slack/web-api');
  const { team_id } = await new WebClient(deps.config.slack.botToken, {
    slackApiUrl: deps.config.slack.apiUrl,
  }).auth.test();
  if (!team_id) throw new Error('Slack did not say which workspace the bot token belongs to');
  return team_id;
}

async function portOr(preferred: number, what: string, say: (line: string) => void): Promise<number> {
  if (preferred === 0 || (await isFree(preferred))) return preferred === 0 ? freePort() : preferred;
  const port = await freePort();
  say(`port ${preferred} is taken, so ${what} listens on ${port}`);
  return port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function randomSecret(): string {
  return randomBytes(16).toString('hex');
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** The bot logs JSON lines; the terminal gets the ones at the demo's level, short. */
function printBotLine(line: string, level: string, say: (line: string) => void): void {
  let entry: { level?: number; msg?: string; err?: { message?: string } | string };
  try {
    entry = JSON.parse(line);
  } catch {
    say(`bot: ${line}`);
    return;
  }
  if ((entry.level ?? 30) < (LEVELS[level] ?? 40)) return;
  const name = Object.keys(LEVELS).find((k) => LEVELS[k] === entry.level) ?? 'log';
  const err = typeof entry.err === 'string' ? entry.err : entry.err?.message;
  say(`bot ${name}: ${entry.msg ?? ''}${err ? ` (${err})` : ''}`);
}
