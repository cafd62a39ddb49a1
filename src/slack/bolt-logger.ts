import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../create-logger.js';

/** Bolt logs through our pino logger, so its lines share format, level and redaction with ours. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ name: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
