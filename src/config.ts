import { z } from 'zod';
import { ConfigError } from './errors.js';

export const ROLES = ['web', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type PlatformKind = 'heroku' | 'simulator';

const httpUrl = z.url({ protocol: /^https?$/ });

/** Every variable the program reads, with what a valid value looks like (shown when it is not). */
const variables = {
  SLACK_SIGNING_SECRET: { schema: z.string().optional(), expects: 'the Signing Secret from the Slack app settings' },
  SLACK_BOT_TOKEN: { schema: z.string().regex(/^xoxb-\S+$/), expects: 'a Slack bot token starting with xoxb-' },
  SLACK_APP_TOKEN: {
    schema: z
      .string()
      .regex(/^xapp-\S+$/)
      .optional(),
    expects: 'a Slack app-level token starting with xapp- (or unset for HTTP mode)',
  },
  SLACK_API_URL: { schema: httpUrl.default('https://slack.com/api/'), expects: 'an http(s) URL' },
  REDIS_URL: {
    schema: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    expects: 'a redis:// or rediss:// URL',
  },
  MONGO_URL: {
    // Not z.url(): a replica set's URL lists several hosts (mongodb://h1,h2/db?replicaSet=rs0), which WHATWG rejects.
    schema: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/[^/?\s]+(\/[^?\s]*)?(\?\S*)?$/)
      .default('mongodb://127.0.0.1:27017/pipeline-bot'),
    expects: 'a mongodb:// or mongodb+srv:// URL; its path names the database (default pipeline-bot)',
  },
  PLATFORM: { schema: z.enum(['heroku', 'simulator']).optional(), expects: 'heroku or simulator' },
  HEROKU_API_KEY: { schema: z.string().optional(), expects: 'a Heroku Platform API token' },
  HEROKU_API_URL: {
    schema: httpUrl.optional(),
    expects: "an http(s) URL (Heroku's API, or with PLATFORM=simulator a standalone simulator's)",
  },
  HEROKU_WEBHOOK_SECRET: { schema: z.string().optional(), expects: 'the secret of the Heroku app webhooks' },
  GITHUB_TOKEN: { schema: z.string().optional(), expects: 'a GitHub token' },
  GITHUB_API_URL: { schema: httpUrl.optional(), expects: 'an http(s) URL' },
  RELEASE_POLL_SECONDS: {
    schema: z.coerce.number().int().min(5).max(86_400).default(60),
    expects: 'seconds between polls of apps without a webhook, 5-86400',
  },
  QUEUE_PREFIX: {
    schema: z
      .string()
      .regex(/^\{[^{}\s]+\}$/)
      .optional(),
    expects: 'a Redis Cluster hash tag such as {pipeline-bot}: braces around a name',
  },
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), expects: 'a port number, 0-65535' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS).default('info'), expects: LOG_LEVELS.join(', ') },
  PIPELINE_BOT_ROLE: { schema: z.enum(ROLES).default('all'), expects: `${ROLES.join(', ')} (the --role flag wins)` },
} as const;

type VariableName = keyof typeof variables;
export const CONFIG_VARIABLES = Object.keys(variables) as VariableName[];

const schema = z.object(
  Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, variables[name].schema])) as {
    [K in VariableName]: (typeof variables)[K]['schema'];
  },
);
type Env = z.infer<typeof schema>;

export type Config = {
  role: Role;
  port: number;
  logLevel: LogLevel;
  slack: { signingSecret?: string; botToken: string; appToken?: string; apiUrl: string };
  redisUrl: string;
  mongoUrl: string;
  /** The database named by MONGO_URL's path; `pipeline-bot` when it names none (the driver would pick `test`). */
  mongoDatabase: string;
  platform: {
    kind: PlatformKind;
    /** `default` when PLATFORM was not set and the kind was inferred from HEROKU_API_KEY. */
    chosenBy: 'env' | 'default';
    herokuApiKey?: string;
    herokuApiUrl: string;
    herokuWebhookSecret?: string;
    /**
     * PLATFORM=simulator: the standalone simulator that HEROKU_API_URL names (its token is HEROKU_API_KEY, or the
     * simulator's default). Unset: the simulator embedded in this process, which only role `all` may run.
     */
    simulatorUrl?: string;
  };
  github: { token?: string; apiUrl: string };
  /** How often apps that some channel listens to, and that no webhook reports on, are asked for new releases. */
  releasePollMs: number;
  /** Prefix of every BullMQ key; the braces keep a queue's keys in one Redis Cluster slot. */
  queuePrefix: string;
};

/**
 * Reads and checks the environment. Throws a ConfigError with one line for each variable that is
 * missing or malformed; values are never echoed, since most of them are secrets.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, overrides: { role?: string } = {}): Config {
  const env = presentValues(source);
  if (overrides.role !== undefined) env.PIPELINE_BOT_ROLE = overrides.role;
  const parsed = schema.safeParse(env);
  const invalid = parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
  const problems = [
    ...invalid.map((name) => problem(name as VariableName, env[name] === undefined)),
    ...missingTogether(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data);
}

/** An empty value (`FOO=` in a .env file) means unset. */
function presentValues(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = source[name];
    if (value !== undefined && value.trim() !== '') env[name] = value.trim();
  }
  return env;
}

function problem(name: VariableName, missing: boolean, when?: string): string {
  const need = when ? `, ${when}` : '';
  return `${name} is ${missing ? 'missing' : 'invalid'}: expected ${variables[name].expects}${need} (see .env.example)`;
}

/** Variables that are optional alone but required by another one's value. */
function missingTogether(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push(problem('SLACK_SIGNING_SECRET', true, 'needed unless SLACK_APP_TOKEN selects Socket Mode'));
  }
  if (env.PLATFORM === 'heroku' && !env.HEROKU_API_KEY) {
    problems.push(problem('HEROKU_API_KEY', true, 'needed when PLATFORM=heroku'));
  }
  const simulated = env.PLATFORM === 'simulator' || (!env.PLATFORM && !env.HEROKU_API_KEY);
  if (simulated && env.HEROKU_API_URL && /^https?:\/\/api\.heroku\.com\b/.test(env.HEROKU_API_URL)) {
    // Promotions would reach real apps while the logs say "simulator".
    problems.push(problem('HEROKU_API_URL', false, 'a simulator, not Heroku, when PLATFORM=simulator'));
  }
  const role = env.PIPELINE_BOT_ROLE ?? 'all';
  if (simulated && !env.HEROKU_API_URL && role !== 'all' && (ROLES as readonly string[]).includes(role)) {
    // Each process would start its own simulated world, so the web role's deploys would be unknown to the worker.
    problems.push(
      `the platform is the simulator, but role ${role} runs no embedded simulator (only role all does): start one ` +
        'with `npm run simulator` and set HEROKU_API_URL=http://127.0.0.1:5000 (see README, "The platform simulator")',
    );
  }
  return problems;
}

function toConfig(env: Env): Config {
  const kind = env.PLATFORM ?? (env.HEROKU_API_KEY ? 'heroku' : 'simulator');
  return {
    role: env.PIPELINE_BOT_ROLE,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    slack: {
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
    },
    redisUrl: env.REDIS_URL,
    mongoUrl: env.MONGO_URL,
    mongoDatabase: databaseOf(env.MONGO_URL),
    platform: {
      kind,
      chosenBy: env.PLATFORM ? 'env' : 'default',
      herokuApiKey: env.HEROKU_API_KEY,
      herokuApiUrl: env.HEROKU_API_URL ?? 'https://api.heroku.com',
      herokuWebhookSecret: env.HEROKU_WEBHOOK_SECRET,
      simulatorUrl: kind === 'simulator' ? env.HEROKU_API_URL : undefined,
    },
    github: {
      token: env.GITHUB_TOKEN,
      apiUrl:
        env.GITHUB_API_URL ??
        (kind === 'simulator' && env.HEROKU_API_URL
          ? `${trimSlash(env.HEROKU_API_URL)}/github`
          : 'https://api.github.com'),
    },
    releasePollMs: env.RELEASE_POLL_SECONDS * 1_000,
    queuePrefix: env.QUEUE_PREFIX ?? queuePrefixOf(databaseOf(env.MONGO_URL)),
  };
}

/**
 * By default each deployment has queues of its own, named after its database, so two deployments sharing a Redis
 * never take each other's jobs; the braces keep each queue's keys in one Redis Cluster slot. The default database
 * keeps the prefix it always had.
 */
function queuePrefixOf(database: string): string {
  return database === DEFAULT_DATABASE ? '{pipeline-bot}' : `{pipeline-bot:${database.replace(/[{}\s]/g, '_')}}`;
}

/** Where the demo and the tests look for redis-server and FerretDB: PATH, then Go's bin folders. */
export function binarySearchDirs(source: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [...(source.PATH ?? '').split(':'), source.GOBIN ?? ''];
  if (source.HOME) dirs.push(`${source.HOME}/go/bin`);
  return dirs.filter(Boolean);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function databaseOf(mongoUrl: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]+\/([^?]*)/.exec(mongoUrl)?.[1];
  return path ? decodeURIComponent(path) : DEFAULT_DATABASE;
}

const DEFAULT_DATABASE = 'pipeline-bot';

/** `npm run demo`: which real services the user brought; everything missing is started or simulated locally. */
export type DemoConfig = {
  /** Servers to use instead of throwaway ones (the demo then works in database pipeline-bot-demo on them). */
  redisUrl?: string;
  mongoUrl?: string;
  /** Real Slack instead of the playground: the bot token with a signing secret (HTTP) or an app token (Socket Mode). */
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  /** Real Heroku instead of the simulator. */
  heroku?: { apiKey: string; apiUrl?: string; webhookSecret?: string };
  github: { token?: string; apiUrl?: string };
  /** What the bot's log shows in the terminal; warnings and errors by default. */
  logLevel: LogLevel;
  /** What the bot's process inherits from the demo's environment: PATH and HOME, nothing else. */
  inherit?: Record<string, string>;
};

const DEMO_VARIABLES = [
  'REDIS_URL',
  'MONGO_URL',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'HEROKU_API_KEY',
  'HEROKU_API_URL',
  'HEROKU_WEBHOOK_SECRET',
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'LOG_LEVEL',
] as const satisfies readonly VariableName[];

/** Like loadConfig, for the demo: every variable is optional, and a malformed one still stops it with one line. */
export function loadDemoConfig(source: NodeJS.ProcessEnv = process.env): DemoConfig {
  const env = presentValues(source);
  const problems = DEMO_VARIABLES.filter(
    (name) => env[name] !== undefined && !variables[name].schema.safeParse(env[name]).success,
  ).map((name) => problem(name, false));
  const slackGiven = env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN;
  if (slackGiven && !env.SLACK_BOT_TOKEN) problems.push(problem('SLACK_BOT_TOKEN', true, 'to use real Slack'));
  if (env.SLACK_BOT_TOKEN && !slackGiven) {
    problems.push(problem('SLACK_SIGNING_SECRET', true, 'or SLACK_APP_TOKEN (Socket Mode), to use real Slack'));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const slack = env.SLACK_BOT_TOKEN
    ? {
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET,
        appToken: env.SLACK_APP_TOKEN,
        apiUrl: env.SLACK_API_URL,
      }
    : undefined;
  const heroku = env.HEROKU_API_KEY
    ? { apiKey: env.HEROKU_API_KEY, apiUrl: env.HEROKU_API_URL, webhookSecret: env.HEROKU_WEBHOOK_SECRET }
    : undefined;
  return {
    redisUrl: env.REDIS_URL,
    mongoUrl: env.MONGO_URL,
    slack,
    heroku,
    github: { token: env.GITHUB_TOKEN, apiUrl: env.GITHUB_API_URL },
    logLevel: (env.LOG_LEVEL as LogLevel | undefined) ?? 'warn',
    inherit: Object.fromEntries(
      (['PATH', 'HOME'] as const).flatMap((name) => (source[name] ? [[name, source[name] as string]] : [])),
    ),
  };
}

/** The same server, another database: string surgery, since a replica set's URL is not a WHATWG URL. */
export function withDatabase(mongoUrl: string, database: string): string {
  const [, hosts, query = ''] = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(mongoUrl) ?? [];
  return `${hosts}/${database}${query}`;
}
