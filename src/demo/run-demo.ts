import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type DemoConfig, loadConfig, withDatabase } from '../config.js';
import { createLogger } from '../create-logger.js';
import { createDeps, type Deps } from '../deps.js';
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
import { botEnv } from './bot-env.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { cleanUpEarlierRuns, createDemoFolder } from './demo-folder.js';
import { printBotLine } from './print-bot-line.js';
import { resetGivenStores } from './reset-given-stores.js';
import { seedBot } from './seed-bot.js';

export const DEMO_DATABASE = 'pipeline-bot-demo';
export const DEMO_QUEUE_PREFIX = '{pipeline-bot-demo}';
const CHANNELS = { work: 'C0DEPLOY', announcements: 'C0RELEASES' };

export type DemoOptions = {
  config: DemoConfig;
  /** Preferred ports; a taken one is swapped for a free one, and said so. 0: any free port. */
  ports: { bot: number; playground: number; simulator: number };
  say: (line: string) => void;
  /** The database and queue prefix on the stores (tests that share servers give each run its own). */
  names?: StoreNames;
  /** Aborted by a Ctrl-C while starting: what has started is stopped, and runDemo rejects. */
  signal: AbortSignal;
};

export type StoreNames = { database: string; queuePrefix: string };
const DEMO_NAMES: StoreNames = { database: DEMO_DATABASE, queuePrefix: DEMO_QUEUE_PREFIX };

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
    const stores = await startStores(config, options.names ?? DEMO_NAMES, { folder, stops, say });
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

type Stores = { redisUrl: string; mongoUrl: string; queuePrefix: string };
type Run = { folder: ReturnType<typeof createDemoFolder>; stops: (() => Promise<void>)[]; say: (line: string) => void };

async function startStores(config: DemoConfig, names: StoreNames, { folder, stops, say }: Run): Promise<Stores> {
  const placement = { parentDir: folder.dir, detached: true, onSpawn: folder.track };
  const start = async (what: string, starting: () => ReturnType<typeof startRedisServer>) => {
    const server = await starting();
    stops.push(server.destroy);
    say(`started a throwaway ${what} on ${server.url} (data in ${folder.dir}, removed on exit)`);
    return server.url;
  };
  const redisUrl = config.redisUrl ?? (await start('Redis', () => startRedisServer(placement)));
  const mongoServer = config.mongoUrl ?? (await start('FerretDB', () => startFerretDb(placement)));
  const stores = { redisUrl, mongoUrl: withDatabase(mongoServer, names.database), queuePrefix: names.queuePrefix };
  if (config.redisUrl || config.mongoUrl) await resetGivenStores(stores, config, say);
  else say('fresh start: new Redis, FerretDB and simulator; nothing is kept between runs');
  return stores;
}

async function startSeededSimulator(port: number) {
  const state = createSimState();
  applySeed(state, await loadSeed(TEAM_SEED));
  return startSimulator({ port, token: SIMULATOR_TOKEN, state });
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
async function slackTeamOf(deps: Deps): Promise<string> {
  const { team_id } = await deps.slackClient.auth.test();
  if (!team_id) throw new Error('Slack did not say which workspace the bot token belongs to');
  return team_id;
}

async function portOr(preferred: number, what: string, say: (line: string) => void): Promise<number> {
  if (preferred === 0) return freePort();
  if (await isFree(preferred)) return preferred;
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
