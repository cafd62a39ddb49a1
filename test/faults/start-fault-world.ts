import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, MongoClient } from 'mongodb';
import { withDatabase } from '../../src/config.js';
import { startFerretDb } from '../../src/local-services/ferretdb-server.js';
import { freePort } from '../../src/local-services/free-port.js';
import { startRedisServer } from '../../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { slackHeaders } from '../../src/playground/slack-signature.js';
import { createSimState } from '../../src/simulator/sim-state.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { type BotRoleProcess, startBotRole } from './start-bot-role.js';
import { type SimProxy, startSimProxy } from './start-sim-proxy.js';

export const DATABASE = 'pipeline-bot-faults';
/** The user group approvers may belong to, and who is in it (the fake Slack answers usergroups.users.list). */
export const APPROVER_GROUP = 'S0SRE';
export const GROUP_MEMBERS = ['U0CAT'];

/** The configured secrets: none of them may appear in any log line. */
export type Secrets = { signing: string; botToken: string; apiKey: string; webhook: string };

/**
 * Everything the run needs, each on its own: throwaway Redis (AOF, as production runs it) and FerretDB, the
 * platform simulator, a fake Slack Web API, and the bot as three OS processes (one web, two workers), each
 * reaching the simulator through its own pass-through proxy.
 */
export async function startFaultWorld(options: { seed: number; workers: number }) {
  const folder = mkdtempSync(join(tmpdir(), 'pipeline-bot-faults-'));
  const logDir = join(folder, 'logs');
  mkdirSync(logDir);
  const stops: (() => Promise<void>)[] = [];
  // Kept: the servers stop with their data left in the folder, for a look at what the bot left behind.
  let keepData = false;
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const secrets: Secrets = {
      signing: `signing-${randomBytes(12).toString('hex')}`,
      botToken: `xoxb-faults-${randomBytes(12).toString('hex')}`,
      apiKey: `sim-key-${randomBytes(12).toString('hex')}`,
      webhook: `webhook-${randomBytes(12).toString('hex')}`,
    };
    const redis: ThrowawayServer = await startRedisServer({ aof: true, parentDir: folder });
    stops.push(() => (keepData ? redis.stop() : redis.destroy()));
    const ferret: ThrowawayServer = await startFerretDb({ parentDir: folder });
    stops.push(() => (keepData ? ferret.stop() : ferret.destroy()));
    const mongoUrl = withDatabase(ferret.url, DATABASE);
    // A socket that hangs across a FerretDB restart is given up rather than waited on.
    const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 15_000 });
    stops.push(() => mongo.close());
    const db: Db = mongo.db(DATABASE);

    const sim: Simulator = await startSimulator({ token: secrets.apiKey, state: createSimState() });
    stops.push(() => sim.close());
    const slack: SlackFake = await startSlackFake({ teamId: 'T0ACME', groups: { [APPROVER_GROUP]: GROUP_MEMBERS } });
    stops.push(() => slack.close());

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const proxies: SimProxy[] = [];
    const env = async (name: string, port: number) => {
      const proxy = await startSimProxy(sim.url, name);
      proxies.push(proxy);
      stops.push(() => proxy.close());
      return {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        LOG_LEVEL: 'info',
        REDIS_URL: redis.url,
        MONGO_URL: mongoUrl,
        QUEUE_PREFIX: `{faults-${options.seed}}`,
        SLACK_SIGNING_SECRET: secrets.signing,
        SLACK_BOT_TOKEN: secrets.botToken,
        SLACK_API_URL: slack.api,
        PLATFORM: 'simulator',
        HEROKU_API_URL: proxy.url,
        HEROKU_API_KEY: secrets.apiKey,
        HEROKU_WEBHOOK_SECRET: secrets.webhook,
      };
    };
    const bots: BotRoleProcess[] = [];
    const track = (bot: BotRoleProcess) => {
      bots.push(bot);
      stops.push(() => bot.stop());
      return bot;
    };
    const web = track(
      await startBotRole({
        name: 'web',
        role: 'web',
        env: await env('web', webPort),
        logDir,
        ready: () => takesSlackRequests(webUrl, secrets.signing),
      }),
    );
    const workers = await Promise.all(
      Array.from({ length: options.workers }, async (_, i) =>
        track(
          await startBotRole({
            name: `worker-${i + 1}`,
            role: 'worker',
            env: await env(`worker-${i + 1}`, 0),
            logDir,
            ready: (bot) => waitForLine(bot, /mongo: indexes ready/),
          }),
        ),
      ),
    );
    // The bot hears of every release as a Heroku app webhook would tell it.
    sim.webhooks.subscribe({ url: `${webUrl}/webhooks/heroku`, secret: secrets.webhook });

    return {
      folder,
      logDir,
      secrets,
      redis,
      ferret,
      db,
      sim,
      slack,
      web,
      webUrl,
      workers,
      bots,
      proxies,
      proxyOf: (name: string) => proxies.find((p) => p.caller === name),
      /** Stops every process and server; `keep`: leave the folder (logs, data) for a look. */
      stop: async (keep: boolean) => {
        keepData = keep;
        await stopAll();
        await Promise.all(bots.map((b) => b.flushLog()));
        if (!keep) rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export type FaultWorld = Awaited<ReturnType<typeof startFaultWorld>>;

/** Long enough for tsx to compile the program on a busy two-core machine. */
const BOOT_MS = 90_000;

/** Slack's own handshake, signed: Bolt answers it once the web role takes requests (503 before its indexes). */
function takesSlackRequests(url: string, secret: string): Promise<true> {
  const body = JSON.stringify({ type: 'url_verification', token: 'faults', challenge: 'ready?' });
  return waitFor(
    'the web role to take Slack requests',
    async () => {
      const res = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...slackHeaders(secret, body) },
        body,
      });
      return res.ok && (await res.text()).includes('ready?') ? true : undefined;
    },
    BOOT_MS,
  );
}

/** A worker takes jobs once its indexes exist (it starts its queues right after saying so). */
function waitForLine(bot: { logged: (pattern: RegExp) => boolean }, pattern: RegExp): Promise<true> {
  return waitFor(`a log line ${pattern}`, () => (bot.logged(pattern) ? true : undefined), BOOT_MS);
}
