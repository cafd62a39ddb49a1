import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { type Db, MongoClient } from 'mongodb';
import { type AuditStore, createAuditStore } from './audit/audit-store.js';
import type { Config } from './config.js';
import type { Logger } from './create-logger.js';
import { createLeases, type Leases } from './mongo/mongo-lease.js';
import { type AppSettingsService, createAppSettingsService } from './pipelines/app-settings-service.js';
import { type AppsStore, createAppsStore } from './pipelines/apps-store.js';
import { type ChannelService, createChannelService } from './pipelines/channel-service.js';
import { type ChannelsStore, createChannelsStore } from './pipelines/channels-store.js';
import { type CouplingsStore, createCouplingsStore } from './pipelines/couplings-store.js';
import { createPipelineService, type PipelineService } from './pipelines/pipeline-service.js';
import type { CodeHost, Platform } from './platform/platform.js';
import { platformFromConfig } from './platform/platform-from-config.js';
import type { ApproverDirectory } from './promotions/approver-directory.js';
import { createLearnedReleasesStore, type LearnedReleasesStore } from './promotions/learned-releases-store.js';
import type { PromotionEvents } from './promotions/promotion-events.js';
import { createPromotionService, type PromotionService } from './promotions/promotion-service.js';
import { createPromotionsStore, type PromotionsStore } from './promotions/promotions-store.js';
import type { RunDeps } from './promotions/run-promotion.js';
import { createWatermarksStore, type WatermarksStore } from './promotions/watermarks-store.js';
import { createAnnouncementDrains } from './queue/announcement-queue.js';
import type { QueueDeps } from './queue/create-queue.js';
import type { WorkerDeps } from './queue/create-worker.js';
import {
  createEventsPublisher,
  createPromotionQueue,
  DEFAULT_TIMINGS,
  type EngineTimings,
} from './queue/promotion-engine.js';
import { createRedisConnection } from './queue/redis-connection.js';
import { createRedisOutageLog, type RedisOutageLog } from './queue/redis-outage-log.js';
import { createRedisPace } from './queue/redis-pace.js';
import type { AnnouncementDrains } from './releases/announcement.js';
import { type AnnouncementsStore, createAnnouncementsStore } from './releases/announcements-store.js';
import type { PollDeps } from './releases/poll-releases.js';
import { createReleaseFeedsStore, type ReleaseFeedsStore } from './releases/release-feeds-store.js';
import type { DrainDeps } from './releases/send-next-announcement.js';
import { createSubscriptionService, type SubscriptionService } from './releases/subscription-service.js';
import { createSubscriptionsStore, type SubscriptionsStore } from './releases/subscriptions-store.js';
import { type CardPublisher, createCardPublisher } from './slack/card-publisher.js';
import { createSlackClient } from './slack/create-slack-client.js';
import { slackDirectory } from './slack/slack-directory.js';

type Closable = { close(): Promise<void> };

/** The MongoDB stores: each collection has one module that reads and writes it. */
export type Stores = {
  couplings: CouplingsStore;
  apps: AppsStore;
  channels: ChannelsStore;
  audit: AuditStore;
  leases: Leases;
  learnedReleases: LearnedReleasesStore;
  promotions: PromotionsStore;
  subscriptions: SubscriptionsStore;
  announcements: AnnouncementsStore;
  feeds: ReleaseFeedsStore;
  watermarks: WatermarksStore;
};

/**
 * Everything the program talks to, built once per process by `createDeps` and handed down; nothing lives at
 * module level. Grouped by who uses it.
 */
export type Deps = {
  // Everyone.
  config: Config;
  logger: Logger;
  now: () => Date;
  // The connections: health checks, index setup, and the queues below.
  redis: Redis;
  workerRedis: Redis;
  redisOutage: RedisOutageLog;
  mongo: MongoClient;
  db: Db;
  stores: Stores;
  // The ports to the outside: the platform, the code host, and Slack (the cards and who is in which group).
  ports: { platform: Platform; codeHost: CodeHost };
  slackClient: WebClient;
  slackRetries?: number;
  cards: CardPublisher;
  approvers: ApproverDirectory;
  // The queues: producers for the web role, what the workers of the worker role consume.
  queuePrefix: string;
  queueDeps: QueueDeps & WorkerDeps;
  timings: EngineTimings;
  events: PromotionEvents & Closable;
  promotionQueue: ReturnType<typeof createPromotionQueue>;
  /** What the promotion worker needs to run a request. */
  engine: RunDeps;
  /** What every source of releases needs to queue announcements, and the senders to wake. */
  announcing: PollDeps & Omit<DrainDeps, 'sender' | 'intervalMs'> & { drains: AnnouncementDrains };
  // The core's services, called by the Slack commands and clicks.
  pipelines: PipelineService;
  appSettings: AppSettingsService;
  channels: ChannelService;
  subscriptionService: SubscriptionService;
  promotionService: PromotionService;
  /** Closes the queues, then the connections. */
  close(): Promise<void>;
};

export type DepsOptions = {
  queuePrefix?: string;
  now?: () => Date;
  /** The platform ports; by default built from the config (Heroku's API). */
  ports?: { platform: Platform; codeHost: CodeHost };
  /** Who is in which Slack user group: by default Slack's answer (usergroups.users.list, cached briefly). */
  approvers?: ApproverDirectory;
  timings?: EngineTimings;
  /** Slack's Web API client for work outside a Slack request (the cards); by default one built from the config. */
  slackClient?: WebClient;
  /** Web API retries on 5xx and network errors (the client's default when unset); tests lower it. */
  slackRetries?: number;
  /** How long the MongoDB driver looks for a server before a call fails (5 s); tests lower it. */
  mongoSelectionMs?: number;
};

/** Connections are opened lazily and retried in the background, so a process can start while a store is down. */
export function createDeps(config: Config, logger: Logger, options: DepsOptions = {}): Deps {
  const connections = connect(config, logger, options.mongoSelectionMs);
  const now = options.now ?? (() => new Date());
  const timings = options.timings ?? DEFAULT_TIMINGS;
  const stores = {
    couplings: createCouplingsStore(connections.db),
    apps: createAppsStore(connections.db),
    channels: createChannelsStore(connections.db),
    audit: createAuditStore(connections.db),
    leases: createLeases(connections.db, { ttlMs: timings.leaseTtlMs }),
    promotions: createPromotionsStore(connections.db),
    learnedReleases: createLearnedReleasesStore(connections.db),
    subscriptions: createSubscriptionsStore(connections.db),
    announcements: createAnnouncementsStore(connections.db),
    feeds: createReleaseFeedsStore(connections.db),
    watermarks: createWatermarksStore(connections.db),
  };
  const queuePrefix = options.queuePrefix ?? config.queuePrefix;
  const queueDeps = {
    redis: connections.redis,
    workerRedis: connections.workerRedis,
    redisOutage: connections.redisOutage,
    queuePrefix,
    logger,
  };
  const ports = options.ports ?? platformFromConfig(config);

  const events = createEventsPublisher(queueDeps);
  const promotionQueue = createPromotionQueue(queueDeps, timings);
  const drains = createAnnouncementDrains(queueDeps);
  const slackClient = options.slackClient ?? createSlackClient(config, { retries: options.slackRetries });
  const approvers = options.approvers ?? slackDirectory(slackClient);
  const engine = { ...stores, ...ports, events, now, logger, approvers, writeSettleMs: timings.writeSettleMs };
  const cards = createCardPublisher({ client: slackClient, db: connections.db, ...stores, logger });
  return {
    config,
    logger,
    ...connections,
    queuePrefix,
    queueDeps,
    timings,
    now,
    stores,
    ports,
    slackClient,
    slackRetries: options.slackRetries,
    cards,
    events,
    approvers,
    promotionQueue,
    /** What the promotion worker needs to run a request. */
    engine,
    /** What every source of releases needs to queue announcements, and the senders to wake. */
    announcing: {
      ...stores,
      view: cards,
      platform: ports.platform,
      drains,
      pace: createRedisPace(connections.redis, queuePrefix),
      now,
      logger,
    },
    pipelines: createPipelineService({ ...stores, now }),
    appSettings: createAppSettingsService({ ...stores, now }),
    channels: createChannelService({ ...stores, now }),
    subscriptionService: createSubscriptionService({ ...stores, platform: ports.platform, now }),
    promotionService: createPromotionService({
      ...engine,
      queue: promotionQueue,
      approvers,
      logger,
    }),
    close: async () => {
      await Promise.allSettled([events.close(), promotionQueue.close(), drains.close()]);
      await connections.close();
    },
  };
}

/**
 * ioredis reconnects by itself and reports every failed attempt; the outage log makes one line of it. A lost
 * connection counts even when it comes back before any attempt failed (a quick restart): what was sent
 * meanwhile failed all the same, and the reconciler must catch up.
 */
function logOutages(connection: Redis, outage: RedisOutageLog, closing: () => boolean): void {
  connection.on('error', (err) => outage.error(err, { connection: 'shared' }));
  connection.on('close', () => {
    if (!closing()) outage.error(new Error('Connection is closed.'), { connection: 'shared' });
  });
  connection.on('ready', () => outage.back());
}

type Connections = {
  /** Fails fast while Redis is down: for producers and health checks. */
  redis: Redis;
  /** Waits out a Redis outage: for BullMQ workers. */
  workerRedis: Redis;
  /** One log line per Redis outage, whichever connection notices. */
  redisOutage: RedisOutageLog;
  mongo: MongoClient;
  db: Db;
  close(): Promise<void>;
};

function connect(config: Config, logger: Logger, mongoSelectionMs = 5_000): Connections {
  const redis = createRedisConnection(config.redisUrl, 'command');
  const workerRedis = createRedisConnection(config.redisUrl, 'worker');
  const redisOutage = createRedisOutageLog(logger, config.redisUrl);
  let closing = false;
  for (const connection of [redis, workerRedis]) logOutages(connection, redisOutage, () => closing);
  const mongo = new MongoClient(config.mongoUrl, {
    writeConcern: { w: 'majority' },
    serverSelectionTimeoutMS: mongoSelectionMs,
    appName: 'pipeline-bot',
  });
  const stopConnecting = connectUntilUp(mongo, logger);
  return {
    redis,
    workerRedis,
    redisOutage,
    mongo,
    db: mongo.db(config.mongoDatabase),
    close: async () => {
      closing = true;
      stopConnecting();
      await Promise.allSettled([redis.quit(), workerRedis.quit(), mongo.close()]);
    },
  };
}

/**
 * The driver gives up for good when its first connection fails: every later call says "Topology is closed",
 * even once MongoDB is up. So until a first connection succeeds, connect again. After that the driver rides
 * out an outage by itself.
 */
function connectUntilUp(mongo: MongoClient, logger: Logger, retryMs = 1_000): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const attempt = () => {
    mongo.connect().then(
      () => {
        if (failures > 0) logger.info({ after: failures }, 'mongo: connected');
      },
      (err: Error) => {
        if (failures++ === 0)
          logger.warn({ err: err.message }, 'mongo: unreachable at start; connecting again until it answers');
        if (!stopped) timer = setTimeout(attempt, retryMs);
      },
    );
  };
  attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
