import type { Redis } from 'ioredis';
import { type Db, MongoClient } from 'mongodb';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createRedisConnection } from './queue/redis-connection.js';

/** Everything the program talks to, built once per process and handed down; nothing lives at module level. */
export type Deps = {
  config: Config;
  logger: Logger;
  /** Fails fast while Redis is down: for producers and health checks. */
  redis: Redis;
  /** Waits out a Redis outage: for BullMQ workers. */
  workerRedis: Redis;
  /** Prefix of every BullMQ key; the braces keep a queue's keys in one Redis Cluster slot. */
  queuePrefix: string;
  mongo: MongoClient;
  db: Db;
  close(): Promise<void>;
};

export type DepsOptions = { queuePrefix?: string };

/** Connections are opened lazily and retried in the background, so a process can start while a store is down. */
export function createDeps(config: Config, logger: Logger, options: DepsOptions = {}): Deps {
  const redis = createRedisConnection(config.redisUrl, 'command');
  const workerRedis = createRedisConnection(config.redisUrl, 'worker');
  for (const connection of [redis, workerRedis]) {
    // ioredis reconnects by itself; the listener keeps an outage from crashing the process.
    connection.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  }
  const mongo = new MongoClient(config.mongoUrl, {
    writeConcern: { w: 'majority' },
    serverSelectionTimeoutMS: 5_000,
    appName: 'pipeline-bot',
  });
  return {
    config,
    logger,
    redis,
    workerRedis,
    queuePrefix: options.queuePrefix ?? '{pipeline-bot}',
    mongo,
    db: mongo.db(),
    close: async () => {
      await Promise.allSettled([redis.quit(), workerRedis.quit(), mongo.close()]);
    },
  };
}
