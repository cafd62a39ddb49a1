import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import type { DemoConfig } from '../config.js';

/** Servers the user gave keep data between runs: the demo's own database and queue keys start empty each time. */
export async function resetGivenStores(
  stores: { redisUrl: string; mongoUrl: string; queuePrefix: string },
  config: DemoConfig,
  say: (line: string) => void,
): Promise<void> {
  if (config.mongoUrl) {
    const client = new MongoClient(stores.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
    say(`fresh start: emptied database ${client.db().databaseName} on the MongoDB of MONGO_URL`);
  }
  if (config.redisUrl) {
    const redis = new Redis(stores.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let removed = 0;
      for await (const keys of redis.scanStream({ match: `${globEscaped(stores.queuePrefix)}*`, count: 500 })) {
        if ((keys as string[]).length) removed += await redis.del(...(keys as string[]));
      }
      say(`fresh start: removed ${removed} ${stores.queuePrefix} key(s) from the Redis of REDIS_URL`);
    } finally {
      redis.disconnect();
    }
  }
}

/** SCAN's MATCH is a glob: the prefix's own characters must match only themselves. */
function globEscaped(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
