import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { startWeb, type WebRole } from '../../src/http/start-web.js';
import { startRedisServer } from '../../src/local-services/redis-server.js';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { testEnv } from '../support/test-env.js';

// This file stops and restarts Redis, so it gets a Redis of its own instead of the shared one.
const env = testEnv('readyz');
let redis: ThrowawayServer;
let deps: Deps;
let web: WebRole;

beforeAll(async () => {
  redis = await startRedisServer();
  deps = createDeps(env.config({ REDIS_URL: redis.url }), createLogger('silent'));
  web = await startWeb(deps);
});
afterAll(async () => {
  await web?.close();
  await deps?.close();
  await redis?.destroy();
  await env.cleanup();
});

async function get(path: string) {
  const res = await fetch(`http://127.0.0.1:${web.port}${path}`);
  return { status: res.status, body: await res.json() };
}

describe('/healthz and /readyz', () => {
  it('answers liveness', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is ready when Redis and MongoDB answer, not ready while Redis is stopped, ready again when it is back', async () => {
    await waitFor('ready', async () => ((await get('/readyz')).status === 200 ? true : undefined));
    expect((await get('/readyz')).body).toEqual({
      status: 'ready',
      ready: true,
      checks: { redis: 'ok', mongo: 'ok' },
    });

    await redis.stop();
    const down = await waitFor('not ready', async () => {
      const res = await get('/readyz');
      return res.status === 503 ? res : undefined;
    });
    expect(down.body).toMatchObject({
      status: 'not_ready',
      ready: false,
      // In words an operator can act on, not the client's ("Stream isn't writeable…"), and without credentials.
      checks: { mongo: 'ok', redis: `error: Redis is unreachable at redis://127.0.0.1:${redis.port}` },
    });

    await redis.start();
    await waitFor('ready again', async () => ((await get('/readyz')).status === 200 ? true : undefined), 20_000);
  });

  it('answers 404 with a JSON body for unknown routes', async () => {
    expect(await get('/nope')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'No route for GET /nope' },
    });
  });
});
