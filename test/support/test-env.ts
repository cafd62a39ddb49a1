import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';

/** What one test file owns: its database and queue prefix on the shared test servers. */
export type TestEnv = {
  redisUrl: string;
  mongoUrl: string;
  dbName: string;
  queuePrefix: string;
  /** A valid config pointing at this file's database; `env` overrides single variables. */
  config(env?: Record<string, string>): Config;
  /** Drops the file's database (the servers themselves go away with the run). */
  cleanup(): Promise<void>;
};

export function testEnv(label: string): TestEnv {
  const id = `${label.replace(/[^a-z0-9]/gi, '')}_${randomUUID().slice(0, 8)}`;
  const redisUrl = inject('redisUrl');
  const dbName = `t_${id}`;
  // String surgery, not URL: a replica set's URL has several hosts, which WHATWG URL rejects.
  const [, hosts, query = ''] = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(inject('mongoUrl')) ?? [];
  const mongoUrl = `${hosts}/${dbName}${query}`;
  return {
    redisUrl,
    mongoUrl,
    dbName,
    queuePrefix: `{test-${id}}`,
    config: (env = {}) =>
      loadConfig({
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_BOT_TOKEN: 'xoxb-test',
        REDIS_URL: redisUrl,
        MONGO_URL: mongoUrl,
        PLATFORM: 'heroku',
        HEROKU_API_KEY: 'test-key',
        // Nothing listens there: tests that need a platform pass the simulator's ports instead.
        HEROKU_API_URL: 'http://127.0.0.1:9',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ...env,
      }),
    cleanup: async () => {
      const client = new MongoClient(mongoUrl);
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
