import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/create-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', destination), text: () => lines.join('') };
}

const config = loadConfig({
  SLACK_SIGNING_SECRET: 'SIGNING-SECRET-VALUE',
  SLACK_BOT_TOKEN: 'xoxb-BOT-TOKEN-VALUE',
  SLACK_APP_TOKEN: 'xapp-APP-TOKEN-VALUE',
  HEROKU_API_KEY: 'HEROKU-KEY-VALUE',
  HEROKU_WEBHOOK_SECRET: 'WEBHOOK-SECRET-VALUE',
  MONGO_URL: 'mongodb://bot:MONGO-PASSWORD-VALUE@db.internal:27017/pipeline-bot',
  REDIS_URL: 'redis://:REDIS-PASSWORD-VALUE@cache.internal:6379',
});
const SECRET = /SIGNING-SECRET|BOT-TOKEN|APP-TOKEN|HEROKU-KEY|WEBHOOK-SECRET|MONGO-PASSWORD|REDIS-PASSWORD/;

describe('createLogger', () => {
  it('keeps secrets out of the log however deep a logged object holds them', () => {
    const { logger, text } = capture();
    logger.info(config, 'the whole config');
    logger.info({ config }, 'config nested once');
    logger.info(config.slack, 'a section');
    logger.info({ err: { config: { headers: { Authorization: 'Bearer HEROKU-KEY-VALUE' } } } }, 'http client error');
    logger.info({ req: { headers: { 'x-slack-signature': 'v0=SIGNING-SECRET' } } }, 'slack request');
    expect(text().split('\n').filter(Boolean)).toHaveLength(5);
    expect(text()).not.toMatch(SECRET);
    expect(text()).toContain('[redacted]');
  });

  it('leaves ordinary fields alone', () => {
    const { logger, text } = capture();
    logger.info({ app: 'myapp-staging', role: config.role }, 'hello');
    expect(JSON.parse(text())).toMatchObject({ app: 'myapp-staging', role: 'all', msg: 'hello' });
  });
});
