import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig, loadDemoConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const valid = { SLACK_SIGNING_SECRET: 'sekrit-signing', SLACK_BOT_TOKEN: 'xoxb-123-abc' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfig', () => {
  it('fills every default from a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      logLevel: 'info',
      redisUrl: 'redis://127.0.0.1:6379',
      mongoUrl: 'mongodb://127.0.0.1:27017/pipeline-bot',
      slack: { apiUrl: 'https://slack.com/api/', botToken: 'xoxb-123-abc' },
      platform: { kind: 'simulator', chosenBy: 'default', herokuApiUrl: 'https://api.heroku.com' },
      github: { apiUrl: 'https://api.github.com' },
      releasePollMs: 60_000,
    });
  });

  it('takes the poll interval in seconds, and refuses one too short to be kind to the platform API', () => {
    expect(loadConfig({ ...valid, RELEASE_POLL_SECONDS: '15' }).releasePollMs).toBe(15_000);
    expect(problemsOf({ ...valid, RELEASE_POLL_SECONDS: '1' })).toEqual([
      'RELEASE_POLL_SECONDS is invalid: expected seconds between polls of apps without a webhook, 5-86400 (see .env.example)',
    ]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_SIGNING_SECRET: 's' }],
    ['SLACK_SIGNING_SECRET', { SLACK_BOT_TOKEN: 'xoxb-1' }],
    ['HEROKU_API_KEY', { ...valid, PLATFORM: 'heroku' }],
  ])('names a missing %s in exactly one line', (name, env) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} is missing: expected .+`));
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf({ ...valid, SLACK_BOT_TOKEN: '  ' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is missing/),
    ]);
  });

  it('needs no signing secret in Socket Mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.slack.appToken).toBe('xapp-1');
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-wrong-kind', /xapp-/],
    ['REDIS_URL', 'http://127.0.0.1:6379', /redis:\/\//],
    ['MONGO_URL', 'localhost:27017', /mongodb:\/\//],
    ['PORT', 'eighty', /port number/],
    ['PORT', '70000', /port number/],
    ['PLATFORM', 'aws', /heroku or simulator/],
    ['LOG_LEVEL', 'loud', /info/],
    ['PIPELINE_BOT_ROLE', 'both', /web, worker, all/],
    ['SLACK_API_URL', 'not a url', /http\(s\) URL/],
    ['SLACK_BOT_TOKEN', 'xoxb-', /xoxb-/],
    ['MONGO_URL', 'mongodb://', /mongodb:\/\//],
  ])('refuses a malformed %s with the expected form', (name, value, expected) => {
    const problems = problemsOf({ ...valid, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} is invalid: `));
    expect(problems[0]).toMatch(expected);
  });

  it('reports every bad variable, one line each, without echoing secret values', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-very-secret-value', REDIS_URL: 'nope' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('very-secret-value');
    expect(problems.every((line) => !line.includes('\n'))).toBe(true);
  });

  it.each([
    ['mongodb://h1:27017,h2:27017,h3:27017/deploys?replicaSet=rs0&w=majority', 'deploys'],
    ['mongodb+srv://bot:p%40ss@cluster0.example.net/pipeline-bot?retryWrites=true', 'pipeline-bot'],
    ['mongodb://127.0.0.1:27017', 'pipeline-bot'],
    ['mongodb://127.0.0.1:27017/?directConnection=true', 'pipeline-bot'],
  ])('accepts the MongoDB URL %s and uses database %s', (url, database) => {
    const config = loadConfig({ ...valid, MONGO_URL: url });
    expect(config).toMatchObject({ mongoUrl: url, mongoDatabase: database });
  });

  it('chooses Heroku when an API key is set and PLATFORM is not', () => {
    const config = loadConfig({ ...valid, HEROKU_API_KEY: 'hrku-abc' });
    expect(config.platform).toMatchObject({ kind: 'heroku', chosenBy: 'default', herokuApiKey: 'hrku-abc' });
  });

  it('points every role at a standalone simulator named by HEROKU_API_URL, GitHub included', () => {
    const config = loadConfig({ ...valid, PLATFORM: 'simulator', HEROKU_API_URL: 'http://sim:5000/' }, { role: 'web' });
    expect(config.platform).toMatchObject({ kind: 'simulator', simulatorUrl: 'http://sim:5000/' });
    expect(config.github.apiUrl).toBe('http://sim:5000/github');
  });

  it('refuses web or worker on the embedded simulator, which only role all runs', () => {
    expect(problemsOf({ ...valid, PIPELINE_BOT_ROLE: 'worker' })).toEqual([
      expect.stringMatching(/^the platform is the simulator, but role worker runs no embedded simulator/),
    ]);
    expect(loadConfig(valid).platform.simulatorUrl).toBeUndefined();
  });

  it('refuses the simulator platform pointed at Heroku itself, which would deploy real apps', () => {
    expect(problemsOf({ ...valid, PLATFORM: 'simulator', HEROKU_API_URL: 'https://api.heroku.com' })).toEqual([
      expect.stringMatching(/^HEROKU_API_URL is invalid: .*a simulator, not Heroku, when PLATFORM=simulator/),
    ]);
  });

  it('gives two deployments on one Redis queues of their own, after their databases, unless told to share', () => {
    const at = (db: string) =>
      loadConfig({ ...valid, MONGO_URL: `mongodb://mongo:27017/${db}?w=majority` }).queuePrefix;
    expect(at('acme-prod')).toBe('{pipeline-bot:acme-prod}');
    expect(at('acme-staging')).toBe('{pipeline-bot:acme-staging}');
    // The default database keeps the prefix deployments have always had (their waiting jobs stay theirs).
    expect(at('')).toBe('{pipeline-bot}');
    expect(loadConfig({ ...valid, MONGO_URL: 'mongodb://mongo/acme-prod', QUEUE_PREFIX: '{shared}' }).queuePrefix).toBe(
      '{shared}',
    );
  });

  it('takes a queue prefix only as a Redis Cluster hash tag', () => {
    expect(loadConfig(valid).queuePrefix).toBe('{pipeline-bot}');
    expect(loadConfig({ ...valid, QUEUE_PREFIX: '{acme-prod}' }).queuePrefix).toBe('{acme-prod}');
    expect(problemsOf({ ...valid, QUEUE_PREFIX: 'acme' })).toEqual([expect.stringMatching(/^QUEUE_PREFIX is invalid/)]);
  });

  it('lets the --role flag win over PIPELINE_BOT_ROLE', () => {
    const standalone = { ...valid, HEROKU_API_URL: 'http://sim:5000' };
    expect(loadConfig({ ...standalone, PIPELINE_BOT_ROLE: 'web' }, { role: 'worker' }).role).toBe('worker');
    expect(() => loadConfig(valid, { role: 'cron' })).toThrow(/PIPELINE_BOT_ROLE is invalid/);
  });
});

describe('loadDemoConfig', () => {
  it('needs nothing: the playground, the simulator and throwaway stores stand in', () => {
    expect(loadDemoConfig({})).toEqual({ github: {}, logLevel: 'warn', inherit: {} });
    expect(loadDemoConfig({ PATH: '/bin', SECRET: 'x' }).inherit).toEqual({ PATH: '/bin' });
  });

  it('uses real Slack when a bot token comes with a signing secret or an app token, and says what is missing', () => {
    expect(loadDemoConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
    });
    expect(() => loadDemoConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_SIGNING_SECRET is missing: .*SLACK_APP_TOKEN/,
    );
    expect(() => loadDemoConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN is missing/);
  });

  it('refuses a malformed server URL in one line', () => {
    expect(() => loadDemoConfig({ REDIS_URL: 'localhost:6379' })).toThrow(
      /^REDIS_URL is invalid: expected a redis:\/\//,
    );
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const lines = example.split('\n');
  const documented = lines.flatMap((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);

  it('lists exactly the variables config.ts reads', () => {
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('explains each variable in a comment right above it', () => {
    for (const name of documented) {
      const at = lines.findIndex((line) => new RegExp(`^#?\\s*${name}=`).test(line));
      expect(lines[at - 1], `comment above ${name}`).toMatch(/^# \S/);
    }
  });
});
