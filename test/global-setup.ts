import type { TestProject } from 'vitest/node';
import { startFerretDb } from '../src/local-services/ferretdb-server.js';
import { startRedisServer } from '../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../src/local-services/throwaway-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    mongoUrl: string;
  }
}

/**
 * Starts one Redis and one FerretDB for the whole run (unless REDIS_URL / MONGO_URL point at servers
 * already running). Test files share them, each under its own database name and queue prefix.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: ThrowawayServer[] = [];
  const teardown = async () => {
    await Promise.all(started.map((server) => server.destroy()));
  };
  try {
    project.provide('redisUrl', process.env.REDIS_URL ?? (await track(started, startRedisServer())).url);
    project.provide('mongoUrl', process.env.MONGO_URL ?? (await track(started, startFerretDb())).url);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

async function track(started: ThrowawayServer[], starting: Promise<ThrowawayServer>): Promise<ThrowawayServer> {
  const server = await starting;
  started.push(server);
  return server;
}
