import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Paths censored wherever they appear in a log line, so a careless `logger.info(obj)` leaks no secret. */
const SECRET_PATHS = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.herokuApiKey',
  '*.herokuWebhookSecret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ name: 'pipeline-bot', level, redact: { paths: SECRET_PATHS, censor: '[redacted]' } }, destination);
}
