import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Field names that hold secrets (or URLs that may carry a password), wherever they sit in a logged object. */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'herokuApiKey',
  'herokuWebhookSecret',
  'password',
  'authorization',
  'Authorization',
  'redisUrl',
  'mongoUrl',
  'x-slack-signature',
];

/** pino's `*` matches one level, so each name is listed at every depth a log call plausibly reaches. */
const SECRET_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`;
  return ['', '*', '*.*', '*.*.*', '*.*.*.*'].map((prefix) => (prefix + key).replace(/^\./, ''));
});

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ name: 'pipeline-bot', level, redact: { paths: SECRET_PATHS, censor: '[redacted]' } }, destination);
}
