import type { Logger } from '../create-logger.js';

/**
 * While Redis is away, every connection (each queue and worker has its own) reports every reconnect attempt:
 * about 8 lines a second. What an operator needs is one line when it is lost, one when it is back, and a summary
 * while it stays down; errors that are not about reaching Redis are logged as they come.
 */
export type RedisOutageLog = {
  /** An error from a queue, a worker or a connection; `where` says which. */
  error(err: unknown, where: Record<string, unknown>): void;
  /** A connection is ready again. */
  back(): void;
  /** Whether Redis is known to be unreachable right now. */
  down(): boolean;
  /** Called each time Redis is reachable again after an outage (the reconciler catches up at once). */
  onBack(listener: () => void): void;
};

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
const UNREACHABLE_WORDS =
  /Connection is closed|Stream isn't writeable|max retries per request|Socket closed unexpectedly/i;

/** An error that only says Redis cannot be reached (as opposed to a command Redis refused). */
export function isRedisUnreachable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return (code !== undefined && UNREACHABLE_CODES.has(code)) || UNREACHABLE_WORDS.test(message ?? '');
}

/** `redis://host:port` of a Redis URL, without its credentials: what a log line or /readyz may show. */
export function redisAddress(url: string): string {
  try {
    const { protocol, hostname, port } = new URL(url);
    return `${protocol}//${hostname}:${port || '6379'}`;
  } catch {
    return 'the configured REDIS_URL';
  }
}

export function createRedisOutageLog(
  logger: Logger,
  redisUrl: string,
  options: { summaryEveryMs?: number; now?: () => number } = {},
): RedisOutageLog {
  const summaryEveryMs = options.summaryEveryMs ?? 30_000;
  const now = options.now ?? Date.now;
  const address = redisAddress(redisUrl);
  let since: number | null = null;
  let lastSummary = 0;
  let errors = 0;
  const listeners: (() => void)[] = [];
  return {
    error: (err, where) => {
      if (!isRedisUnreachable(err)) return logger.error({ err, ...where }, 'redis error');
      errors++;
      const at = now();
      if (since === null) {
        since = at;
        lastSummary = at;
        return logger.warn({ redis: address, err: (err as Error).message }, `redis: unreachable at ${address}`);
      }
      if (at - lastSummary >= summaryEveryMs) {
        lastSummary = at;
        logger.warn({ redis: address, downForS: Math.round((at - since) / 1000), errors }, 'redis: still unreachable');
      }
    },
    back: () => {
      if (since === null) return;
      logger.info({ redis: address, downForS: Math.round((now() - since) / 1000), errors }, 'redis: reachable again');
      since = null;
      errors = 0;
      for (const listener of listeners) listener();
    },
    down: () => since !== null,
    onBack: (listener) => void listeners.push(listener),
  };
}
